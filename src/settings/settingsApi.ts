// The webapp calls of the settings editor, backup and restore (admin only; waba-api.md §4.8, §4.9).
import type { WabaMethod, WabaResponse } from '../api/wabaClient';
import type { WabaSession } from '../api/wabaSession';
import { parseSettingsBody, type ApplicationSettings, type Reported } from '../contract';
import { t } from '../l10n';

/** Authorised calls to one webapp; `sessionApi` makes one of a logged-in session, tests fake it. */
export interface AdminApi {
  call<T>(method: WabaMethod, path: string, body?: unknown): Promise<WabaResponse<T>>;
}

export function sessionApi(session: WabaSession): AdminApi {
  return { call: (method, path, body) => session.authorized((authorization) => session.client.call(method, path, { authorization, body })) };
}

export const SETTINGS_PATH = '/v1/settings/application';

/** `GET /v1/settings/application`, checked against the contract. */
export async function readApplicationSettings(api: AdminApi): Promise<Reported<ApplicationSettings>> {
  return parseSettingsBody((await api.call('GET', SETTINGS_PATH)).body).settings.application;
}

/** `PATCH /v1/settings/application`: only the fields present change. */
export async function patchApplicationSettings(api: AdminApi, patch: Record<string, unknown>): Promise<void> {
  await api.call('PATCH', SETTINGS_PATH, patch);
}

/** `POST /v1/settings/backup`: Meta's encrypted blob. */
export async function backupBlob(api: AdminApi, password: string): Promise<string> {
  const data = (await api.call<{ settings?: { data?: unknown } }>('POST', '/v1/settings/backup', { password })).body?.settings?.data;
  if (typeof data !== 'string' || !data) throw new Error(t('The webapp answered the backup without settings.data.'));
  return data;
}

/** `POST /v1/settings/restore`. */
export async function restoreBlob(api: AdminApi, data: string, password: string): Promise<void> {
  await api.call('POST', '/v1/settings/restore', { password, data });
}
