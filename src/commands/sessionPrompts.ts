import * as vscode from 'vscode';
import { newPasswordProblem } from '../workflows/connectWorkflow';
import type { SessionPrompter } from '../workflows/sessionPrompter';

/** The connect questions as VS Code dialogs and input boxes. */
export const vscodeSessionPrompter: SessionPrompter = {
  async trustCertificate(address, presented, replacing) {
    const trust = vscode.l10n.t('Trust This Certificate');
    const where = `${address.host}:${address.port}`;
    const details = [
      vscode.l10n.t('Subject: {0}\nValid until: {1}\nSHA-256: {2}', presented.subject, presented.validTo, presented.fingerprint),
      vscode.l10n.t('Only this exact certificate will be accepted for this address.'),
      ...(replacing ? [vscode.l10n.t('This address presented a DIFFERENT certificate before (SHA-256 {0}). Expected after re-creating the cluster (down -v); otherwise do not trust it.', replacing.fingerprint)] : []),
    ];
    const answer = await vscode.window.showWarningMessage(
      replacing ? vscode.l10n.t("Trust the webapp's new self-signed certificate for {0}?", where) : vscode.l10n.t("Trust the webapp's self-signed certificate for {0}?", where),
      { modal: true, detail: details.join('\n\n') },
      trust);
    return answer === trust;
  },
  username: (baseUrl) => Promise.resolve(vscode.window.showInputBox({ title: vscode.l10n.t('WABA webapp login'), prompt: vscode.l10n.t('User name for {0}', baseUrl), value: 'admin', ignoreFocusOut: true })),
  password: (username, baseUrl, stale) => Promise.resolve(vscode.window.showInputBox({
    title: vscode.l10n.t('WABA webapp login'), password: true, ignoreFocusOut: true,
    prompt: stale
      ? vscode.l10n.t('The stored password of {0} no longer works at {1} (changed elsewhere, or the cluster was re-created). Password:', username, baseUrl)
      : vscode.l10n.t('Password of {0} at {1} (the first login of admin uses "secret")', username, baseUrl),
  })),
  newPassword: (username) => Promise.resolve(vscode.window.showInputBox({
    title: vscode.l10n.t('Choose a new password'), prompt: vscode.l10n.t('The webapp requires a new password for {0} on its first login', username), password: true, ignoreFocusOut: true,
    validateInput: newPasswordProblem,
  })),
};
