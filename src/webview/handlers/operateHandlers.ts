// The cluster panel's requests for operating the cluster (#9): the settings editor, test messages
// and the webhook inspector. Registered by the panel next to its own handlers.
import { checkTestMessage } from '../../messages/testMessage';
import { FieldValidationError } from '../../settings/fieldValidationError';
import type { PanelMethod, PanelRequests } from '../protocol';
import type { OperateServices } from '../../operate/services';

type OperateMethod = Extract<PanelMethod, 'getSettings' | 'applySettings' | 'sendTestMessage' | 'startInspector' | 'stopInspector' | 'clearInspector'>;
export type OperateHandlers = { [M in OperateMethod]: (params: PanelRequests[M]['params']) => Promise<PanelRequests[M]['result']> };

/** `services` is read at each request (the panel builds its handlers before its fields are set). */
export function operateHandlers(services: () => OperateServices, afterChange: () => void): OperateHandlers {
  return {
    getSettings: () => services().settings.read(),
    applySettings: async ({ values, confirmed }) => {
      const result = await services().settings.apply(values ?? {}, confirmed === true);
      // The change shows in the next health cycle: start it now.
      if (result.applied) afterChange();
      return result;
    },
    sendTestMessage: async (form) => {
      const checked = checkTestMessage(form);
      if (!checked.ok) throw new FieldValidationError(checked.errors);
      return services().messages.send(checked.value);
    },
    startInspector: () => services().inspector.start(),
    stopInspector: () => services().inspector.stop(),
    clearInspector: async () => services().inspector.clear(),
  };
}
