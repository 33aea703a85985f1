import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The largest form body the emulator's own pages and shims read. */
export const BODY_LIMIT = 56 * 1024;

/** Reads a whole request body, refusing more than `limit` bytes. */
export async function readBody(request: IncomingMessage, limit = BODY_LIMIT): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    received += buffer.length;
    if (received > limit) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, received);
}

/** Reads an `application/x-www-form-urlencoded` body. */
export async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(request)).toString('utf8'));
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(text);
}

export function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(html);
}

/** HQ's `hq_ErrorType` word for an HTTP status (the published enum; `unspecified` for the rest). */
export function hqErrorType(status: number): string {
  const types: Record<number, string> = {
    400: 'validation_error',
    401: 'unauthorised',
    403: 'forbidden',
    404: 'not_found',
    409: 'conflict',
    500: 'internal_server_error',
    503: 'agent_not_connected',
  };
  return types[status] ?? 'unspecified';
}

/**
 * HQ's error answer, `hq_Error` (https://docs.lenses.io/latest/api-reference/reference/models):
 * `{type (a word), title (the human-readable description), status, request_id}`. The
 * detail, when given, is the title: the published shape has no `detail`.
 */
export function sendProblem(response: ServerResponse, status: number, title: string, detail?: string, headers: Record<string, string> = {}): void {
  const body = { type: hqErrorType(status), title: detail ?? title, status, request_id: randomUUID() };
  response.writeHead(status, { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
