// /v1/certificates/webhooks/ca (admin): the CA certificate that signs a webhook's self-signed HTTPS
// certificate. POST the PEM as the body (201), GET it back as PEM (404 / 1006 when none, which WADebug
// expects), DELETE it. Callbacks to an https webhook trust it besides the system CAs.
import { X509Certificate } from 'node:crypto';
import { deleteStored, readStored, writeStored } from '../../db/auth-store';
import { ApiError, ErrorCode } from '../../logic/envelope';
import { log } from '../../log';
import type { Handlers } from '../http';
import type { WebState } from '../web-state';
import { WEBHOOK_CA } from '../webhook-sender';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate of a PEM body, checked; throws 1008/1009 naming the problem. */
export function parsePemCertificates(text: string): X509Certificate[] {
  if (!text.trim()) throw new ApiError(ErrorCode.MissingParameter, 'Missing required parameter: the CA certificate (PEM) as the request body');
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new ApiError(ErrorCode.InvalidParameter, 'Invalid value for parameter certificate: the body must be a PEM certificate (-----BEGIN CERTIFICATE-----)');
  return blocks.map((pem, i) => {
    try {
      return new X509Certificate(pem);
    } catch {
      throw new ApiError(ErrorCode.InvalidParameter, `Invalid value for parameter certificate: certificate ${i + 1} of the body cannot be read`);
    }
  });
}

export function certificateRoutes(state: WebState): Handlers<'uploadWebhookCa' | 'webhookCa' | 'deleteWebhookCa'> {
  return {
    uploadWebhookCa: async (ctx) => {
      const certs = parsePemCertificates(ctx.rawBody);
      await writeStored(state.sql, WEBHOOK_CA, certs.map((c) => c.toString()).join(''));
      state.webhooks.invalidate();
      log.info(`webhook CA certificate uploaded: ${certs.map((c) => `${c.subject.replace(/\n/g, ', ')} (SHA-256 ${c.fingerprint256})`).join('; ')}`);
      return { status: 201, body: {} };
    },
    webhookCa: async () => {
      const pem = await readStored(state.sql, WEBHOOK_CA);
      if (!pem) throw new ApiError(ErrorCode.NotFound, 'No webhook CA certificate has been uploaded');
      return { status: 200, text: { contentType: 'application/x-pem-file', content: pem } };
    },
    deleteWebhookCa: async () => {
      if (await deleteStored(state.sql, WEBHOOK_CA)) log.info('webhook CA certificate deleted');
      state.webhooks.invalidate();
      return { status: 200, body: {} };
    },
  };
}
