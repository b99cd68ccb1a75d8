// The cluster panel's requests for diagnose (#8): run the checks, run a result's fix, export the
// JSON, make a support bundle, start a failover drill. Registered by the panel next to its own.
import * as vscode from 'vscode';
import type { PanelMethod, PanelRequests } from '../protocol';
import type { DiagnoseServices } from '../../diagnose/diagnoseServices';

type DiagnoseMethod = Extract<PanelMethod, 'diagnose' | 'runFix' | 'exportDiagnosis' | 'supportBundle' | 'failoverDrill' | 'reportRender'>;
export type DiagnoseHandlers = { [M in DiagnoseMethod]: (params: PanelRequests[M]['params']) => Promise<PanelRequests[M]['result']> };

export function diagnoseHandlers(services: () => DiagnoseServices): DiagnoseHandlers {
  return {
    diagnose: () => services().diagnose(),
    runFix: async ({ id }) => {
      const fix = services().lastDiagnosis?.results.find((r) => r.id === id)?.fix;
      if (!fix) throw new Error(vscode.l10n.t('That result has no fix any more: diagnose again.'));
      // Commands answer false when they failed (the error is shown and logged) or the user declined.
      if ((await vscode.commands.executeCommand(fix.command, ...(fix.args ?? []))) === false) throw new Error(vscode.l10n.t('{0} did not complete: see the WABA Cluster output.', fix.label));
      return fix.label;
    },
    exportDiagnosis: async () => (await vscode.commands.executeCommand<string | undefined>('wabaCluster.exportDiagnosis')) ?? '',
    supportBundle: () => Promise.resolve(vscode.commands.executeCommand<string | undefined>('wabaCluster.supportBundle')),
    failoverDrill: async () => {
      const result = await vscode.commands.executeCommand<{ comparison?: { text: string } } | undefined>('wabaCluster.failoverDrill');
      return result?.comparison?.text;
    },
    reportRender: async (report) => { services().noteRender(report); },
  };
}
