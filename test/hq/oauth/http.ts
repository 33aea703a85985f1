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

/** An RFC 7807 problem answer, the shape Lenses HQ uses for its errors. */
export function sendProblem(response: ServerResponse, status: number, title: string, detail?: string, headers: Record<string, string> = {}): void {
  const body = { type: 'about:blank', title, status, ...(detail ? { detail } : {}), request_id: randomUUID() };
  response.writeHead(status, { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
