import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from '../loopback';


/** Why a request to a loopback-bound server must be refused, or undefined when Host and Origin are loopback. */
export function rebindingRefusal(request: IncomingMessage): string | undefined {
  const host = request.headers.host;
  if (!host || !isLoopbackHost(hostnameOf(`http://${host}`) ?? '')) return 'The Host header must name this loopback server';
  const origin = request.headers.origin;
  if (origin !== undefined) {
    const hostname = hostnameOf(origin);
    if (!hostname || !isLoopbackHost(hostname)) return 'Requests from a non-loopback Origin are refused';
  }
  return undefined;
}

function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly jsonRpcCode = -32600) {
    super(message);
  }
}

/** Largest JSON-RPC body accepted (RS-13). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Reads and parses a JSON body: 400 for a wrong content type or malformed JSON, 413 past the limit. */
export async function readJsonBody(request: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) throw new HttpError(400, 'Content-Type must be application/json');
  if (Number(request.headers['content-length'] ?? '0') > maxBytes) throw new HttpError(413, 'The request body is larger than 4 MiB');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    if (size > maxBytes) throw new HttpError(413, 'The request body is larger than 4 MiB');
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'Parse error: the body is not valid JSON', -32700);
  }
}

interface JsonRpcCall {
  method?: unknown;
  params?: { name?: unknown };
}

/** The tool names of every tools/call in a JSON-RPC message or batch. */
export function calledToolNames(body: unknown): string[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((message) => {
    const call = message as JsonRpcCall | null;
    return call && typeof call === 'object' && call.method === 'tools/call' && typeof call.params?.name === 'string' ? [call.params.name] : [];
  });
}

export function isInitializeRequest(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((message) => (message as JsonRpcCall | null)?.method === 'initialize');
}
