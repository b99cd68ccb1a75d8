// Health, support and metrics: read-only views of the cluster.
import { askAllNodes } from '../cluster-client';
import { requireAdmin, type Route } from '../http';
import type { WebState } from '../web-state';

function gauge(help: string, node: string, value: number) {
  return { type: 'gauge', help, data: [{ labels: { node }, value }] };
}

export function clusterRoutes(state: WebState): Record<string, Route> {
  return {
    'GET /v1/health': async (ctx) => {
      await ctx.caller();
      return { status: 200, body: { health: await askAllNodes(state.sql, '/health') } };
    },
    'GET /v1/support': async (ctx) => {
      await requireAdmin(ctx);
      return { status: 200, body: { support: await askAllNodes(state.sql, '/support') } };
    },
    'GET /metrics': async (ctx) => {
      await ctx.caller();
      const node = state.cfg.container;
      const requests = [...state.requestCounts.entries()];
      return {
        status: 200,
        body: {
          metrics: {
            web_uptime: gauge('Number of seconds since web server has started', node, Math.floor((Date.now() - state.startedMs) / 1000)),
            web_requests: { type: 'counter', help: 'Number of API requests', data: requests.map(([method, r]) => ({ labels: { node, method }, value: r.count })) },
            api_requests_duration_ms_sum: { type: 'counter', help: 'Total duration of API requests in ms', data: requests.map(([method, r]) => ({ labels: { node, method, result: 'success' }, value: Math.round(r.durationMs) })) },
          },
        },
      };
    },
  };
}
