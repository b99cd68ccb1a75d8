// The application settings editor, without VS Code: reads the settings, checks a form against the
// contract, describes the change for the user to confirm, applies it and reads it back. A value the
// webapp refuses is reported at the field it names; nothing is half-applied (one PATCH per change).
import type { ApplicationSettings, Reported } from '../contract';
import { FieldValidationError, explainRefusal } from './fieldValidationError';
import { patchApplicationSettings, readApplicationSettings, type AdminApi } from './settingsApi';
import { describeChange, planSettingsChange, restartRequired, settingRows, type SettingInput, type SettingRowView } from './settingsForm';
import { t } from '../l10n';

export interface SettingsView { rows: SettingRowView[]; readAt: string; waId?: string }

export type SettingsApplyResult =
  | { applied: false; question: string; changes: string[]; restartRequired: string[] }
  | { applied: true; changes: string[]; restartRequired: string[]; settings: SettingsView; unconfirmed: string[] };

export class SettingsEditor {
  constructor(private readonly api: () => AdminApi, private readonly now: () => Date = () => new Date()) {}

  async read(): Promise<SettingsView> {
    return this.view(await readApplicationSettings(this.api()));
  }

  private view(application: Reported<ApplicationSettings>): SettingsView {
    return { rows: settingRows(application), readAt: this.now().toISOString(), ...(application.wa_id ? { waId: application.wa_id } : {}) };
  }

  /**
   * Without `confirmed` nothing changes: the answer says what would. With it, the change is planned
   * again against the settings as they are now, sent, and read back.
   */
  async apply(inputs: Readonly<Record<string, SettingInput>>, confirmed: boolean): Promise<SettingsApplyResult> {
    const api = this.api();
    const plan = planSettingsChange(await readApplicationSettings(api), inputs);
    if (Object.keys(plan.errors).length) throw new FieldValidationError(plan.errors);
    if (plan.changes.length === 0) throw new Error(t('Nothing to apply: every field already has the value in the form.'));
    const changes = plan.changes.map(describeChange);
    const restart = restartRequired(plan.changes);
    if (!confirmed) return { applied: false, question: changes.length === 1 ? t('Apply 1 change to the application settings?') : t('Apply {0} changes to the application settings?', changes.length), changes, restartRequired: restart };
    try {
      await patchApplicationSettings(api, plan.patch);
    } catch (error) {
      throw explainRefusal(error, plan.changes.map((c) => c.path));
    }
    const application = await readApplicationSettings(api);
    // A field the webapp accepted but reports otherwise (ignored, or changed back) is said, not hidden.
    const unconfirmed = planSettingsChange(application, Object.fromEntries(plan.changes.map((c) => [c.path, c.to]))).changes.map((c) => c.path);
    return { applied: true, changes, restartRequired: restart, settings: this.view(application), unconfirmed };
  }
}
