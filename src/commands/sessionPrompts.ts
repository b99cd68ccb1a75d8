import * as vscode from 'vscode';
import { passwordProblem } from '../contract';
import type { SessionPrompter } from '../session/sessionPrompter';

/** The connect questions as VS Code dialogs and input boxes. */
export const vscodeSessionPrompter: SessionPrompter = {
  async trustCertificate(address, presented, replacing) {
    const trust = 'Trust This Certificate';
    const changed = replacing
      ? `\n\nThis address presented a DIFFERENT certificate before (SHA-256 ${replacing.fingerprint}). Expected after re-creating the cluster (down -v); otherwise do not trust it.`
      : '';
    const answer = await vscode.window.showWarningMessage(
      `Trust the webapp's ${replacing ? 'new ' : ''}self-signed certificate for ${address.host}:${address.port}?`,
      { modal: true, detail: `Subject: ${presented.subject}\nValid until: ${presented.validTo}\nSHA-256: ${presented.fingerprint}\n\nOnly this exact certificate will be accepted for this address.${changed}` },
      trust);
    return answer === trust;
  },
  username: (baseUrl) => Promise.resolve(vscode.window.showInputBox({ title: 'WABA webapp login', prompt: `User name for ${baseUrl}`, value: 'admin', ignoreFocusOut: true })),
  password: (username, baseUrl, stale) => Promise.resolve(vscode.window.showInputBox({
    title: 'WABA webapp login', password: true, ignoreFocusOut: true,
    prompt: stale
      ? `The stored password of ${username} no longer works at ${baseUrl} (changed elsewhere, or the cluster was re-created). Password:`
      : `Password of ${username} at ${baseUrl} (the first login of admin uses "secret")`,
  })),
  newPassword: (username) => Promise.resolve(vscode.window.showInputBox({
    title: 'Choose a new password', prompt: `The webapp requires a new password for ${username} on its first login`, password: true, ignoreFocusOut: true,
    validateInput: (v) => { const p = passwordProblem(v); return p ? `The password ${p}.` : undefined; },
  })),
};
