// The one message protocol between the cluster panel (webview) and the extension host.
// Imported by both bundles: no `vscode`, no Node APIs.
import type { FieldErrors, RegistrationForm, ShardsForm } from '../api/accountForms';
import type { TestMessageForm, TestMessageResult } from '../messages/testMessage';
import type { SettingInput } from '../settings/settingsForm';
import type { SettingsApplyResult, SettingsView } from '../settings/settingsEditor';
import type { InspectorView } from '../webhooks/webhookInspector';
import type { Diagnosis } from '../diagnose/checks';
import type { DiagnoseView, RenderReport } from '../diagnose/diagnoseServices';

/** The webapp rate-limits /v1/health (1015 / 429): polling waits until `retryAt` (ISO). */
export interface HealthBackoffView { message: string; retryAt: string }

export interface HealthRowView { key: string; role?: string; gatewayStatus?: string; error?: string }

export interface PanelState {
  folder?: string;
  /** https://host:port of the webapp when a waweb container publishes 443. */
  webapp?: string;
  connectedAs?: string;
  health?:
    | { kind: 'ok'; rows: HealthRowView[]; level: 'ok' | 'warning' | 'error'; summary: string; problems: string[]; version?: string; at: string; backoff?: HealthBackoffView }
    | { kind: 'failed'; message: string; at: string; backoff?: HealthBackoffView };
  /** Running coreapp containers (not masters): what shards can be spread over. */
  runningCoreapps: number;
  /** The webhook inspector (operate, #9): its state and the callbacks received. */
  inspector?: InspectorView;
  /** Diagnose (#8): the live topology, the role/status history, the last diagnosis and drill. */
  diagnose?: DiagnoseView;
}

/** Requests the webview makes; each gets exactly one response. */
export interface PanelRequests {
  connect: { params: Record<string, never>; result: boolean };
  checkHealth: { params: Record<string, never>; result: void };
  requestCode: { params: RegistrationForm; result: { status: number; vname?: string } };
  verify: { params: { code: string }; result: void };
  getShards: { params: Record<string, never>; result: number | undefined };
  /** Without `confirmed`, nothing changes: the answer carries the question to ask the user first. */
  setShards: { params: ShardsForm & { confirmed?: boolean }; result: { applied: true } | { applied: false; question: string; detail: string } };
  // --- operate (#9): application settings, test messages, webhook inspector
  getSettings: { params: Record<string, never>; result: SettingsView };
  /** Without `confirmed`, nothing changes: the answer lists the changes to confirm. */
  applySettings: { params: { values: Record<string, SettingInput>; confirmed?: boolean }; result: SettingsApplyResult };
  sendTestMessage: { params: TestMessageForm; result: TestMessageResult };
  startInspector: { params: Record<string, never>; result: InspectorView };
  stopInspector: { params: Record<string, never>; result: InspectorView };
  clearInspector: { params: Record<string, never>; result: InspectorView };
  // --- diagnose (#8): Diagnose Cluster, its fixes and JSON, the support bundle, the failover drill
  diagnose: { params: Record<string, never>; result: Diagnosis };
  /** Runs the fix of the last diagnosis' result `id`; answers the fix's label. */
  runFix: { params: { id: string }; result: string };
  exportDiagnosis: { params: Record<string, never>; result: string };
  supportBundle: { params: Record<string, never>; result: string | undefined };
  /** The drill asks its questions in VS Code; answers the comparison with the settings. */
  failoverDrill: { params: Record<string, never>; result: string | undefined };
  /** The webview says how long drawing a diagram took (DOM and layout), for the figures of #8.5. */
  reportRender: { params: RenderReport; result: void };
}
export type PanelMethod = keyof PanelRequests;

export type WebviewMessage =
  | { type: 'ready' }
  /** The state numbered `seq` is on screen; `ms`: the webview's own work (DOM and layout). */
  | { type: 'rendered'; seq: number; ms: number }
  | { [M in PanelMethod]: { type: 'request'; id: number; method: M; params: PanelRequests[M]['params'] } }[PanelMethod];

export type HostMessage =
  /** `renderSeq` (Test mode only): answer with `rendered` once this state is on screen. */
  | { type: 'state'; state: PanelState; renderSeq?: number }
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: string; fieldErrors?: FieldErrors };
