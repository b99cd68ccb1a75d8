import type { IncomingMessage } from 'node:http';
import { ApiError, ErrorCode } from '../logic/envelope';

const LIMIT = 1024 * 1024;

/** Reads a request body as text (at most 1 MiB). */
export async function readTextBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > LIMIT) throw new ApiError(ErrorCode.InvalidParameter, 'Request body is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON body; an empty body is undefined. */
export function parseJsonBody(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(ErrorCode.InvalidParameter, 'Request body is not valid JSON');
  }
}

/** Reads a JSON request body; an empty body is undefined. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  return parseJsonBody(await readTextBody(req));
}
