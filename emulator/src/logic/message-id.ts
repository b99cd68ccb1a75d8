import { randomBytes } from 'node:crypto';

/** Message ids look like the On-Premises ones ("gBEGkYiEB1VXAglK1ZEqA1YKPrU"), not Cloud API wamids. */
export function newMessageId(): string {
  return 'gBEG' + randomBytes(18).toString('base64').replace(/[+/=]/g, '').slice(0, 23).padEnd(23, 'A');
}
