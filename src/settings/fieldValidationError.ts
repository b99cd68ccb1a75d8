// Input the webapp or a form check refuses, told at the field it concerns (the panel shows the
// message next to that field).
import type { FieldErrors } from '../api/accountForms';
import { WabaApiError } from '../api/wabaError';
import { t } from '../l10n';
import { fieldNamedIn } from './settingsForm';

/** A request refused for its input: the webview shows the messages next to the fields. */
export class FieldValidationError extends Error {
  constructor(readonly fieldErrors: FieldErrors) {
    super(Object.values(fieldErrors).join(' '));
  }
}

/** A refused PATCH as the user reads it: at the field the webapp names, else as the webapp said it. */
export function explainRefusal(error: unknown, sent: readonly string[]): Error {
  if (!(error instanceof WabaApiError)) return error as Error;
  const first = error.errors[0];
  const text = `${first?.title ?? ''} ${first?.details ?? ''}`;
  const field = fieldNamedIn(text, sent);
  if (!field) return new Error(t('The webapp refused the change: {0}', error.message));
  return new FieldValidationError({ [field]: `${field}: the webapp refused it (${first?.code} ${first?.details ?? first?.title}).` });
}
