// A fake of the webapp's admin endpoints for the settings, backup, message and inspector workflows'
// unit tests: application settings checked as the contract says (1010 unknown, 1009 bad value, naming
// the field), a backup blob only the right password opens, messages accepted or refused, support,
// stats, health and shards as the test sets them; any route may be made to fail. Records every call.
import type { WabaMethod, WabaResponse } from '../../../src/api/wabaClient';
import { WabaApiError } from '../../../src/api/wabaError';
import { defaultApplicationSettings, getPath, settingField, settingProblem, settingValue, type HealthNodeBody, type SupportNodeBody } from '../../../src/contract';
import { WebappApi, type AuthorizedCalls } from '../../../src/api/webappApi';

const refuse = (status: number, code: number, details: string, path: string) => new WabaApiError(status, [{ code, title: 'refused', details }], path);

export class FakeAdminApi implements AuthorizedCalls {
  /** The extension's typed API over this fake's wire. */
  readonly api = new WebappApi(this);
  settings: Record<string, unknown> = defaultApplicationSettings() as unknown as Record<string, unknown>;
  readonly calls: string[] = [];
  support: Record<string, SupportNodeBody> = {};
  health: Record<string, HealthNodeBody> = {};
  /** The shards answer's body (Meta's shape unless a test sets another). */
  shardsBody: (shards: number) => unknown = (shards) => ({ account: { shards } });
  shards = 1;
  /** "GET /v1/support" → the refusal that route answers. */
  readonly failing = new Map<string, WabaApiError>();
  /** Messages sent per support key (what /v1/stats/app counts). */
  sentBy: Record<string, number> = {};
  /** Who sends the next message (a support key), or the refusal to answer. */
  nextSender: string | WabaApiError = 'wacore1:aaaaaaaaaaaa';
  /** A webapp that refuses http:// webhook URLs (as a stricter version might). */
  httpsOnly = false;
  private nextId = 1;

  async call<T>(method: WabaMethod, path: string, body?: unknown): Promise<WabaResponse<T>> {
    this.calls.push(`${method} ${path}`);
    const failure = this.failing.get(`${method} ${path}`);
    if (failure) throw failure;
    const answer = (b: unknown, status = 200) => ({ status, body: b as T });
    switch (`${method} ${path}`) {
      case 'GET /v1/settings/application': return answer({ settings: { application: structuredClone(this.settings) } });
      case 'PATCH /v1/settings/application': this.patch(body as Record<string, unknown>, ''); return answer({});
      case 'POST /v1/settings/backup': return answer({ settings: { data: Buffer.from(JSON.stringify({ password: (body as { password: string }).password, settings: this.settings })).toString('base64') } });
      case 'POST /v1/settings/restore': {
        const { password, data } = body as { password: string; data: string };
        const opened = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { password: string; settings: Record<string, unknown> };
        if (opened.password !== password) throw refuse(400, 1009, 'Invalid value for parameter password: the backup data cannot be opened with this password', path);
        this.settings = opened.settings;
        return answer({});
      }
      case 'GET /v1/support': return answer({ support: this.support });
      case 'GET /v1/account/shards': return answer(this.shardsBody(this.shards));
      case 'GET /v1/health': return answer({ health: this.health, meta: { api_status: 'stable', version: 'v2.53.1' } });
      case 'GET /v1/stats/app': return answer({ stats: { app: Object.fromEntries(Object.keys(this.support).map((key) => [key, {
        endpoint_requests: { type: 'counter', help: 'requests', data: [{ labels: { endpoint: 'messages' }, value: this.sentBy[key] ?? 0 }] },
      }])) } });
      case 'POST /v1/messages': {
        if (this.nextSender instanceof WabaApiError) throw this.nextSender;
        this.sentBy[this.nextSender] = (this.sentBy[this.nextSender] ?? 0) + 1;
        return answer({ messages: [{ id: `gBEG${this.nextId++}` }] }, 201);
      }
      default: throw refuse(404, 1006, `the fake has no ${method} ${path}`, path);
    }
  }

  private patch(body: Record<string, unknown>, prefix: string): void {
    for (const [key, value] of Object.entries(body)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const field = settingField(path);
      if (!field && value && typeof value === 'object' && !Array.isArray(value)) { this.patch(value as Record<string, unknown>, path); continue; }
      if (!field) throw refuse(400, 1010, `Unknown parameter: ${path}`, '/v1/settings/application');
      const problem = settingProblem(field, settingValue(field, value));
      if (problem) throw refuse(400, 1009, `Invalid value for parameter ${path}: ${problem}`, '/v1/settings/application');
      if (this.httpsOnly && path === 'webhooks.url' && String(value).startsWith('http:')) throw refuse(400, 1009, `Invalid value for parameter ${path}: must be https`, '/v1/settings/application');
      const keys = path.split('.');
      let node = this.settings;
      for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
      node[keys[keys.length - 1]] = value;
    }
  }

  get(path: string): unknown { return getPath(this.settings, path); }
}
