import * as vscode from 'vscode';
import { checkRegistration, checkShards, checkVerificationCode, shardsAdvice } from '../api/accountForms';
import { ClusterActions } from '../api/clusterActions';
import type { WabaAddress } from '../api/wabaClient';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import type { ClusterSession } from '../session/clusterSession';
import { diagnoseHandlers } from './handlers/diagnoseHandlers';
import type { DiagnoseServices } from '../diagnose/diagnoseServices';
import { operateHandlers } from './handlers/operateHandlers';
import type { OperateServices } from '../operate/services';
import { webviewLocale } from '../views/webviewLocale';
import { testHooksEnabled, testProbe } from '../testing/testHooks';
import { panelState } from './panelState';
import { FieldValidationError } from '../settings/fieldValidationError';
import { HostMessage, PanelMethod, PanelRequests, PanelState, WebviewMessage } from './protocol';
import { notConnected } from '../notReady';

export interface ClusterPanelDeps {
  extensionUri: vscode.Uri;
  monitor: ClusterMonitor;
  session: ClusterSession;
  /** Connects with the user's answers to the prompts (the same flow as the Connect command). */
  connect(): Promise<boolean>;
  /** Where the webapp is, as the user sees it (on the engine's host). */
  webapp(): WabaAddress | undefined;
  folder: string | undefined;
  /** Settings editor, test messages, webhook inspector (#9). */
  operate: OperateServices;
  /** Diagnosis, topology, history, failover drill (#8). */
  diagnose: DiagnoseServices;
  /** A registration code was requested (the walkthrough's "register" step). */
  onCodeRequested?(): void;
}

type Handlers = { [M in PanelMethod]: (params: PanelRequests[M]['params']) => Promise<PanelRequests[M]['result']> };

/** The cluster panel: health, registration and shards, as in Meta's guide. One at a time. */
export class ClusterPanel implements vscode.Disposable {
  private static current: ClusterPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private renderSeq = 0;
  private postQueued = false;
  /** The state the webview has, as posted: an unchanged state is not posted (nor rendered) again. */
  private lastPosted: string | undefined;

  static show(deps: ClusterPanelDeps): ClusterPanel {
    if (ClusterPanel.current) {
      ClusterPanel.current.panel.reveal();
      return ClusterPanel.current;
    }
    const panel = vscode.window.createWebviewPanel('wabaCluster.panel', vscode.l10n.t('WABA Cluster'), vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(deps.extensionUri, 'dist'), vscode.Uri.joinPath(deps.extensionUri, 'media')],
    });
    ClusterPanel.current = new ClusterPanel(panel, deps);
    return ClusterPanel.current;
  }

  private constructor(private readonly panel: vscode.WebviewPanel, private readonly deps: ClusterPanelDeps) {
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'waba.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: WebviewMessage) => void this.receive(m)),
      deps.monitor.onDidChange(() => this.queueState()),
      deps.session.health.onDidChange(() => this.queueState()),
      deps.operate.inspector.onDidChange(() => this.queueState()),
      deps.diagnose.onDidChange(() => this.queueState()),
    );
  }

  dispose(): void {
    this.ready = false; // a post queued before the panel closed is dropped
    if (ClusterPanel.current === this) ClusterPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  private readonly handlers: Handlers = {
    connect: () => this.deps.connect(),
    checkHealth: async () => { this.session(); await this.deps.session.health.poll(); },
    requestCode: async (form) => {
      const checked = checkRegistration(form);
      if (!checked.ok) throw new FieldValidationError(checked.errors);
      const result = await this.actions().requestCode(checked.value);
      this.deps.onCodeRequested?.();
      return result;
    },
    verify: async ({ code }) => {
      const checked = checkVerificationCode(code);
      if (!checked.ok) throw new FieldValidationError(checked.errors);
      await this.actions().verify(checked.value.code);
      void this.deps.session.health.poll();
    },
    getShards: () => this.actions().shards(),
    setShards: async (form) => {
      const checked = checkShards(form);
      if (!checked.ok) throw new FieldValidationError(checked.errors);
      const { shards, cc, phone_number } = checked.value;
      if (!form.confirmed) {
        const advice = shardsAdvice(shards, this.state().runningCoreapps);
        return {
          applied: false,
          question: shards === 1 ? vscode.l10n.t('Set 1 shard for +{0} {1}?', cc, phone_number) : vscode.l10n.t('Set {0} shards for +{1} {2}?', shards, cc, phone_number),
          detail: `${advice ? `${advice} ` : ''}${vscode.l10n.t('The coreapps reconnect to WhatsApp with the new shard map; setting shards more than 7 days after registration disconnects the number.')}`,
        };
      }
      this.session();
      await this.actions().setShards(checked.value);
      void this.deps.session.health.poll();
      return { applied: true };
    },
    ...operateHandlers(() => this.deps.operate, () => void this.deps.session.health.poll()),
    ...diagnoseHandlers(() => this.deps.diagnose),
  };

  private session() {
    const session = this.deps.session.current;
    if (!session) throw new Error(notConnected());
    return session;
  }

  private actions(): ClusterActions {
    return new ClusterActions(this.session());
  }

  private async receive(message: WebviewMessage): Promise<void> {
    if (message.type === 'ready') {
      this.ready = true;
      this.lastPosted = undefined; // a (re)loaded webview has nothing yet
      this.postState();
      return;
    }
    if (message.type === 'rendered') { testProbe.emit({ kind: 'rendered', view: 'panel', seq: message.seq, ms: message.ms }); return; }
    void this.panel.webview.postMessage(await this.handle(message.id, message.method, message.params));
  }

  /** Runs one request exactly as if the webview had sent it (also the test API's entry). */
  async handle<M extends PanelMethod>(id: number, method: M, params: PanelRequests[M]['params']): Promise<HostMessage> {
    const handler = this.handlers[method] as (params: unknown) => Promise<unknown>;
    try {
      return { type: 'response', id, ok: true, result: await handler(params) };
    } catch (error) {
      return { type: 'response', id, ok: false, error: (error as Error).message, fieldErrors: error instanceof FieldValidationError ? error.fieldErrors : undefined };
    }
  }

  /** What the panel shows now (also the test API's view of it). */
  state(): PanelState {
    return { ...panelState(this.deps.monitor.snapshot, this.deps.session.health.state, this.deps.session.current?.username, this.deps.folder, this.deps.webapp()), inspector: this.deps.operate.inspector.view(), diagnose: this.deps.diagnose.view() };
  }

  /**
   * One post for the changes that one event makes: a health answer changes the health and, through
   * it, the diagnosis history, and the webview would render twice.
   */
  private queueState(): void {
    if (this.postQueued) return;
    this.postQueued = true;
    queueMicrotask(() => { this.postQueued = false; this.postState(); });
  }

  private postState(): void {
    if (!this.ready) return;
    const state = this.state();
    const json = JSON.stringify(state);
    if (json === this.lastPosted) return;
    this.lastPosted = json;
    const renderSeq = testHooksEnabled() ? ++this.renderSeq : undefined;
    void this.panel.webview.postMessage({ type: 'state', state, renderSeq } satisfies HostMessage);
    if (renderSeq !== undefined) testProbe.emit({ kind: 'posted', view: 'panel', seq: renderSeq });
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = [...crypto.getRandomValues(new Uint8Array(24))].map((b) => b.toString(16).padStart(2, '0')).join('');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'panel.css'));
    // The display language's bundle is in the page before the script runs (src/webview/app/rpc.ts reads it): the first render is translated.
    const locale = webviewLocale(vscode.env.language, vscode.l10n.bundle);
    return `<!DOCTYPE html>
<html lang="${locale.lang}" dir="${locale.dir}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; img-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>WABA Cluster</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script type="application/json" id="l10n-bundle">${locale.bundleJson}</script>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }
}
