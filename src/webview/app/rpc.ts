import type { FieldErrors } from '../../api/accountForms';
import { useTranslator } from '../../l10n';
import { setBundle, t } from './l10n';
import type { HostMessage, PanelMethod, PanelRequests, PanelState, WebviewMessage } from '../protocol';

interface VsCodeApi { postMessage(message: WebviewMessage): void; getState(): unknown; setState(state: unknown): void }
declare function acquireVsCodeApi(): VsCodeApi;

export class RequestError extends Error {
  constructor(message: string, readonly fieldErrors: FieldErrors = {}) { super(message); }
}

/** The webview's side of the protocol: awaitable requests and state pushes from the host. */
export class HostConnection {
  private readonly vscode = acquireVsCodeApi();
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(onState: (state: PanelState) => void) {
    useHostBundle();
    window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
      const message = event.data;
      if (message.type === 'state') { this.render(() => onState(message.state), message.renderSeq); return; }
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new RequestError(message.error, message.fieldErrors));
    });
    this.vscode.postMessage({ type: 'ready' });
  }

  request<M extends PanelMethod>(method: M, params: PanelRequests[M]['params']): Promise<PanelRequests[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.vscode.postMessage({ type: 'request', id, method, params } as WebviewMessage);
    });
  }

  /** Runs a render; when the host asked (renderSeq), reports how long it took up to a laid-out page. */
  private render(render: () => void, seq: number | undefined): void {
    const started = performance.now();
    render();
    if (seq === undefined) return;
    void document.body.offsetHeight; // forces style and layout now, so they count
    this.vscode.postMessage({ type: 'rendered', seq, ms: performance.now() - started });
  }

  /** Form values survive the panel being hidden or VS Code reloading the webview. */
  saveDraft(draft: Record<string, string>): void { this.vscode.setState(draft); }
  draft(): Record<string, string> { return (this.vscode.getState() as Record<string, string> | undefined) ?? {}; }
}

/**
 * The display language's l10n bundle, which the host writes into the page (#l10n-bundle) before this
 * script runs; shared modules (src/api/accountForms.ts) translate through the same bundle.
 */
function useHostBundle(): void {
  const json = document.getElementById('l10n-bundle')?.textContent;
  try {
    setBundle(json ? (JSON.parse(json) as Record<string, string>) : undefined);
  } catch {
    setBundle(undefined); // English rather than no panel
  }
  useTranslator((message, ...args) => t(message, ...args.map(String))); // l10n-ignore: passes the callers' messages on
}
