import * as vscode from 'vscode';
import { Container } from './composition/container';
import { BeforeDeactivate } from './composition/deactivation';
import { testApi, type WabaClusterApi } from './composition/testApi';
import { useTranslator } from './l10n';
import { enableTestHooks } from './testing/testHooks';

const beforeDeactivate = new BeforeDeactivate();

export function activate(context: vscode.ExtensionContext): WabaClusterApi | Record<string, never> {
  const started = performance.now();
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  enableTestHooks(testMode);
  useTranslator(vscode.l10n.t);
  const container = new Container(context);
  context.subscriptions.push(
    container,
    // The inspector puts the cluster's webhook URL back before the session closes.
    beforeDeactivate.add(() => container.operate.inspector.stopIfRunning()),
  );
  container.startAfterActivation();

  const activationMs = performance.now() - started;
  const { output, workspace, engine } = container;
  output.info(`Activated in ${activationMs.toFixed(1)} ms; cluster folder: ${workspace.folder?.path ?? 'none'}; Docker: ${engine.endpointDescription} (${engine.endpointWhy ?? ''})${workspace.state.trusted ? '' : '; Restricted Mode'}`);
  return testMode ? testApi(container, activationMs) : {};
}

export function deactivate(): Promise<unknown> | undefined {
  // Everything else is in context.subscriptions.
  return beforeDeactivate.run();
}
