import type { ServerResponse } from 'node:http';
import { parseJSONRPCMessage, type JSONRPCMessage, type MessageExtraInfo, type Transport, type TransportSendOptions } from '@modelcontextprotocol/server';

/** Where clients POST their messages, as FastMCP serves it (`/messages` is accepted too). */
export const SSE_MESSAGE_PATH = '/messages/';
export const SSE_STREAM_PATH = '/sse';

/** SSE comment sent this often so proxies do not close a quiet stream (sse-starlette sends one every 15 s too). */
const KEEPALIVE_MS = 15_000;

/**
 * The older MCP HTTP+SSE transport (protocol 2024-11-05) for one session: `GET /sse` holds
 * this stream, whose first event names `/messages/?session_id=…`; the client POSTs its
 * messages there and gets 202, answers come back as `event: message` on the stream. Unlike
 * the SDK's deprecated `SSEServerTransport`, the session ID is given (replica prefix) and the
 * query name is FastMCP's `session_id`. Authentication, Host/Origin and scope checks happen
 * before a request reaches it.
 */
export class SseServerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  private open = false;
  private keepalive: NodeJS.Timeout | undefined;

  constructor(
    readonly sessionId: string,
    private readonly stream: ServerResponse,
  ) {}

  start(): Promise<void> {
    if (this.open) return Promise.reject(new Error('SseServerTransport already started'));
    this.open = true;
    this.stream.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    this.stream.write(`event: endpoint\ndata: ${SSE_MESSAGE_PATH}?session_id=${encodeURIComponent(this.sessionId)}\n\n`);
    this.keepalive = setInterval(() => this.stream.write(': ping\n\n'), KEEPALIVE_MS);
    this.keepalive.unref();
    this.stream.on('close', () => this.closed());
    return Promise.resolve();
  }

  /** One POSTed JSON-RPC message or batch; false when it is not one (the caller answers 400). */
  receive(body: unknown, extra: MessageExtraInfo): boolean {
    const messages = Array.isArray(body) ? body : [body];
    const parsed = messages.map(parseMessage);
    if (parsed.length === 0 || parsed.some((message) => message === undefined)) return false;
    for (const message of parsed) if (message) this.onmessage?.(message, extra);
    return true;
  }

  send(message: JSONRPCMessage, _options?: TransportSendOptions): Promise<void> {
    if (!this.open) return Promise.reject(new Error('Not connected'));
    this.stream.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.open) this.stream.end();
    this.closed();
    return Promise.resolve();
  }

  private closed(): void {
    if (!this.open) return;
    this.open = false;
    clearInterval(this.keepalive);
    this.onclose?.();
  }
}

/** The session ID a POST /messages/ names (`session_id`, or the SDK's `sessionId`). */
export function postedSessionId(url: URL): string | undefined {
  return url.searchParams.get('session_id') ?? url.searchParams.get('sessionId') ?? undefined;
}

function parseMessage(message: unknown): JSONRPCMessage | undefined {
  try {
    return parseJSONRPCMessage(message);
  } catch {
    return undefined;
  }
}
