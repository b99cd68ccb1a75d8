// The application settings editor's model, from the contract's field list (SETTING_FIELDS): what each
// field holds now, what it accepts, and the change a form asks for ("unhealthy_interval 30 → 10").
// Used by the webview (checks before sending) and the extension host (checks again, builds the PATCH).
// No vscode, no Node APIs.
import { getPath, MEDIA_TYPES, SETTING_FIELDS, settingField, settingProblem, settingValue, type SettingField, type SettingValue } from '../contract';

/** What a form field gives: text (or a number) for numbers and URLs, a flag, the ticked media types. */
export type SettingInput = string | number | boolean | readonly string[];

export interface SettingChange { path: string; from: SettingValue | undefined; to: SettingValue }

export interface SettingsChangePlan {
  changes: SettingChange[];
  /** The `ROUTES.patchSettings` body: only the changed fields, nested as Meta nests them. */
  patch: Record<string, unknown>;
  /** Field path -> why its input is refused; nothing is sent while any is set. */
  errors: Record<string, string>;
}

/** What the field accepts, as the editor says it next to the field. */
export function settingRange(field: SettingField): string {
  switch (field.kind) {
    case 'boolean': return 'on or off';
    case 'integer': return `whole number ≥ ${field.min ?? 0}${field.unit ? ` (${field.unit})` : ''}`;
    case 'choice': return `one of ${field.choices?.join(', ')}`;
    case 'media-list': return `any of ${MEDIA_TYPES.join(', ')}`;
    case 'url': return 'http(s) URL, or empty for no webhook';
  }
}

/**
 * A webhook URL without what may be a secret (a password in it, a token in its query), as the panel,
 * the diffs and the logs show it: "https://bot:•••@hooks.example.com/wa?•••".
 */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password && !u.search) return url;
    return `${u.protocol}//${u.username ? `${u.username}${u.password ? ':•••' : ''}@` : ''}${u.host}${u.pathname}${u.search ? '?•••' : ''}`;
  } catch {
    return url;
  }
}

/** A value as the diff and the editor show it: "30 s", "on", "(none)". */
export function formatSettingValue(field: SettingField | undefined, value: unknown): string {
  if (value === undefined) return '(not reported)';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  if (value === '') return '(none)';
  if (field?.kind === 'url' && typeof value === 'string') return maskUrl(value);
  return field?.unit ? `${String(value)} ${field.unit}` : String(value);
}

/** "unhealthy_interval 30 s → 3 s". */
export function describeChange(change: SettingChange): string {
  const field = settingField(change.path);
  return `${change.path} ${formatSettingValue(field, change.from)} → ${formatSettingValue(field, change.to)}`;
}

/** The value a form input stands for, or why it cannot be stored in the field. */
export function parseSettingInput(field: SettingField, input: SettingInput): { value: SettingValue } | { problem: string } {
  let value: unknown = input;
  if (typeof input === 'string') {
    const text = input.trim();
    if (field.kind === 'integer' || field.kind === 'choice') value = /^-?\d+$/.test(text) ? Number(text) : text;
    else if (field.kind === 'boolean') value = text === 'true' ? true : text === 'false' ? false : text;
    else value = text;
  }
  const problem = settingProblem(field, settingValue(field, value));
  return problem ? { problem: `${field.path} ${problem}` } : { value: value as SettingValue };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);
  return a === b;
}

function setNested(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
}

/**
 * The change the form's `inputs` ask for against the `current` settings (the webapp's
 * `settings.application`): unchanged fields are left out, unknown fields and bad values refused.
 */
export function planSettingsChange(current: unknown, inputs: Readonly<Record<string, SettingInput>>): SettingsChangePlan {
  const plan: SettingsChangePlan = { changes: [], patch: {}, errors: {} };
  for (const [path, input] of Object.entries(inputs)) {
    const field = settingField(path);
    if (!field) { plan.errors[path] = `${path} is not an application setting Meta documents`; continue; }
    const parsed = parseSettingInput(field, input);
    if ('problem' in parsed) { plan.errors[path] = parsed.problem; continue; }
    const from = settingValue(field, getPath(current, path));
    // The editor shows a URL masked: the masked text sent back means "unchanged".
    if (sameValue(from, parsed.value) || (field.kind === 'url' && typeof from === 'string' && parsed.value === maskUrl(from))) continue;
    plan.changes.push({ path, from, to: parsed.value });
    setNested(plan.patch, path, parsed.value);
  }
  // In the editor's order (the contract's), whatever order the form sent.
  const order = (path: string) => SETTING_FIELDS.findIndex((f) => f.path === path);
  plan.changes.sort((a, b) => order(a.path) - order(b.path));
  return plan;
}

/** Every documented field whose value differs between two settings bodies (a restore's preview). */
export function diffSettings(from: unknown, to: unknown): SettingChange[] {
  return SETTING_FIELDS.flatMap((field) => {
    const before = settingValue(field, getPath(from, field.path));
    const after = settingValue(field, getPath(to, field.path));
    return after === undefined || sameValue(before, after) ? [] : [{ path: field.path, from: before, to: after }];
  });
}

/** Fields of a change that apply only after the coreapps restart (Meta's note on the settings page). */
export function restartRequired(changes: readonly SettingChange[]): string[] {
  return changes.filter((c) => settingField(c.path)?.restartRequired).map((c) => c.path);
}

/**
 * The setting a webapp's error names ("Invalid value for parameter webhooks.url: …", "Unknown
 * parameter: webhooks.colour"), among `paths` (the fields that were sent): the longest one named.
 */
export function fieldNamedIn(text: string, paths: readonly string[]): string | undefined {
  const named = paths.filter((p) => new RegExp(`(^|[^\\w.])${p.replace(/\./g, '\\.')}($|[^\\w.])`).test(text));
  return named.sort((a, b) => b.length - a.length)[0];
}

/** One row of the editor: the field as the contract documents it, with the value the webapp reports. */
export interface SettingRowView {
  path: string;
  kind: SettingField['kind'];
  /** undefined: the webapp does not report this field (an older version). */
  value: SettingValue | undefined;
  default: SettingValue;
  meaning: string;
  range: string;
  choices?: readonly number[];
  restartRequired?: boolean;
  deprecatedBy?: string;
}

/** The rows of the editor; a URL's secret parts are masked (see maskUrl). */
export function settingRows(application: unknown): SettingRowView[] {
  return SETTING_FIELDS.map((f) => ({
    path: f.path, kind: f.kind, value: shownValue(f, settingValue(f, getPath(application, f.path))), default: f.default, meaning: f.meaning, range: settingRange(f),
    ...(f.choices ? { choices: f.choices } : {}), ...(f.restartRequired ? { restartRequired: true } : {}), ...(f.deprecatedBy ? { deprecatedBy: f.deprecatedBy } : {}),
  }));
}

function shownValue(field: SettingField, value: SettingValue | undefined): SettingValue | undefined {
  return field.kind === 'url' && typeof value === 'string' ? maskUrl(value) : value;
}
