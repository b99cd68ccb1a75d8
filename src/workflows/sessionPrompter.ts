import type { PinnedCertificate } from '../api/certificatePin';
import type { WabaAddress } from '../api/wabaClient';
import { t } from '../l10n';

/**
 * The questions connecting to a webapp may need answered. VS Code prompts in the extension,
 * scripted answers in tests; `undefined` / `false` means the user declined.
 */
export interface SessionPrompter {
  /** Whether to trust `presented` for `address`; `replacing` is the different certificate trusted there before. */
  trustCertificate(address: WabaAddress, presented: PinnedCertificate, replacing?: PinnedCertificate): Promise<boolean>;
  username(baseUrl: string): Promise<string | undefined>;
  /** `stale`: the stored password was refused (changed elsewhere, or the cluster was re-created). */
  password(username: string, baseUrl: string, stale: boolean): Promise<string | undefined>;
  /** The first login of a user (admin/secret) must choose a new password; see contract passwordProblem. */
  newPassword(username: string): Promise<string | undefined>;
}

/** Answers for automation (tests, other extensions): the extension prompts only for what is missing. */
export interface ConnectAnswers { username?: string; password?: string; newPassword?: string; trustFingerprint?: string }

/** A prompter that answers from `answers` first and asks `fallback` for the rest. */
export function answeringFirst(answers: ConnectAnswers, fallback: SessionPrompter): SessionPrompter {
  return {
    trustCertificate: async (address, presented, replacing) => {
      if (answers.trustFingerprint === undefined) return fallback.trustCertificate(address, presented, replacing);
      if (answers.trustFingerprint.toUpperCase() === presented.fingerprint) return true;
      throw new Error(t('The webapp at {0} presents certificate {1}, not the expected {2}.', `${address.host}:${address.port}`, presented.fingerprint, answers.trustFingerprint));
    },
    username: (baseUrl) => (answers.username !== undefined ? Promise.resolve(answers.username) : fallback.username(baseUrl)),
    password: (username, baseUrl, stale) => (answers.password !== undefined ? Promise.resolve(answers.password) : fallback.password(username, baseUrl, stale)),
    newPassword: (username) => (answers.newPassword !== undefined ? Promise.resolve(answers.newPassword) : fallback.newPassword(username)),
  };
}
