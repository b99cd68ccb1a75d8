// What most commands need first, worded once for every command, the panel, Diagnose and the status bar.
import { t } from './l10n';

export const notConnected = (): string => t('Not connected to the webapp: run "WABA: Connect to Webapp".');

export const noClusterFolder = (): string => t('No cluster folder is open: open the folder that contains multiconnect-compose.yml.');
