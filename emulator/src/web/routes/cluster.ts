// Health, support and the Webapp's metrics: read-only views of the cluster.
import { askAllNodes } from '../cluster-client';
import { ROUTES, type MetricFamilies } from '../../../../src/contract';
import { wantsPrometheus, type Handlers } from '../http';
import { PROMETHEUS_CONTENT_TYPE, prometheusText } from '../prometheus';
import { tooManyRequests } from '../rate-limit';
import type { WebState } from '../web-state';

/** The Webapp's own figures (`GET /metrics`, after Meta's web_* and api_requests_* names). */
function webMetrics(state: WebState): MetricFamilies {
  const node = state.cfg.container.slice(0, 12);
  const requests = [...state.requestCounts.entries()].map(([key, r]) => {
    const [method, result] = key.split(' ');
    return { labels: { node, method, result }, ...r };
  });
  const byMethod = new Map<string, number>();
  for (const r of requests) byMethod.set(r.labels.method, (byMethod.get(r.labels.method) ?? 0) + r.count);
  return {
    web_uptime: { type: 'gauge', help: 'Number of seconds since web server has started', data: [{ labels: { node }, value: Math.floor((Date.now() - state.startedMs) / 1000) }] },
    web_requests: { type: 'counter', help: 'Number of API requests', data: [...byMethod].map(([method, value]) => ({ labels: { node, method }, value })) },
    api_requests_duration_ms_sum: { type: 'counter', help: 'Total duration of API requests in ms', data: requests.map((r) => ({ labels: r.labels, value: Math.round(r.durationMs) })) },
    api_requests_duration_ms_count: { type: 'counter', help: 'Number of API requests whose duration is summed', data: requests.map((r) => ({ labels: r.labels, value: r.count })) },
  };
}

export function clusterRoutes(state: WebState): Handlers<'root' | 'health' | 'support' | 'metrics'> {
  return {
    root: async () => ({ status: 200, body: {} }),
    health: async () => {
      const limit = state.limits.health;
      if (limit) {
        const wait = limit.retryAfterSec('all');
        if (wait > 0) throw tooManyRequests(`${ROUTES.health.path} calls`, wait);
        limit.record('all');
      }
      return { status: 200, body: { health: await askAllNodes(state.sql, '/health') } };
    },
    support: async () => {
      return { status: 200, body: { support: await askAllNodes(state.sql, '/support') } };
    },
    metrics: async (ctx) => {
      const metrics = webMetrics(state);
      if (wantsPrometheus(ctx)) return { status: 200, text: { contentType: PROMETHEUS_CONTENT_TYPE, content: prometheusText([{ labels: {}, families: metrics }]) } };
      return { status: 200, body: { metrics } };
    },
  };
}
