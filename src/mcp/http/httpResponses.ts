import type { ServerResponse } from 'node:http';

/** A plain-text answer (the HTTP+SSE transport's /messages/ answers are text). */
export function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}

/** A JSON-RPC error answer; once headers are out (a stream), the response is only ended. */
export function sendError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}, code = -32600): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
