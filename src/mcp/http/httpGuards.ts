import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopbackHost } from '../../loopback';

/**
 * The host names this server answers to in `Host` and `Origin`, whatever address it is
 * bound to (DNS-rebinding protection, RS-12 and RS-17): loopback names, the host of
 * `MCP_ADVERTISED_URL`, and `MCP_ALLOWED_HOSTS`. Ports are not compared: a rebinding page
 * can pick any port, but never the name.
 */
export class HostAllowList {
  private readonly names: ReadonlySet<string>;

  constructor(options: { advertisedUrl?: string; allowedHosts?: readonly string[] } = {}) {
    const names = new Set<string>();
    if (options.advertisedUrl) names.add(normalized(new URL(options.advertisedUrl).hostname));
    for (const entry of options.allowedHosts ?? []) {
      const hostname = allowedHostName(entry);
      if (hostname === undefined) throw new Error(`"${entry}" is not a host name`);
      names.add(hostname);
    }
    this.names = names;
  }

  /** The names allowed besides loopback ones, for the start-up log. */
  get extraNames(): string[] {
    return [...this.names];
  }

  /** Why `request` must be refused (a one-line reason for the 403), or undefined when its Host and Origin are allowed. */
  refusal(request: IncomingMessage): string | undefined {
    const host = request.headers.host;
    const hostname = host ? hostnameOf(`http://${host}`) : undefined;
    if (hostname === undefined) return 'The Host header is missing or malformed';
    if (!this.allows(hostname))
      return `Host "${hostname}" is not a name this server answers to (DNS-rebinding protection): add it to MCP_ALLOWED_HOSTS if clients reach the server under that name`;
    const origin = request.headers.origin;
    if (origin === undefined) return undefined;
    const originHost = hostnameOf(origin);
    if (originHost === undefined) return 'Requests from an opaque or malformed Origin are refused';
    if (!this.allows(originHost))
      return `Requests from Origin "${originHost}" are refused (DNS-rebinding protection): add it to MCP_ALLOWED_HOSTS to allow web pages from there`;
    return undefined;
  }

  private allows(hostname: string): boolean {
    return isLoopbackName(hostname) || this.names.has(hostname);
  }
}

/**
 * The host name of one `MCP_ALLOWED_HOSTS` entry (a bare name or IP address, IPv6 in
 * brackets or not), lower-cased; undefined when it is not one (a scheme, port, path or `*`).
 */
export function allowedHostName(entry: string): string | undefined {
  const trimmed = entry.trim();
  const bracketed = trimmed.includes(':') && !trimmed.startsWith('[') ? `[${trimmed}]` : trimmed;
  if (!trimmed || /[/@?#*\\\s]/.test(trimmed)) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${bracketed}`);
  } catch {
    return undefined;
  }
  if (url.port || url.pathname !== '/') return undefined;
  return normalized(url.hostname);
}

/** Loopback names, `::ffff:127.0.0.1` (IPv4-mapped) and `localhost.` included: only this machine can be reached under them. */
function isLoopbackName(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (/^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(bare)) return true;
  return isLoopbackHost(bare);
}

function normalized(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}

function hostnameOf(url: string): string | undefined {
  try {
    const hostname = new URL(url).hostname;
    return hostname ? normalized(hostname) : undefined;
  } catch {
    return undefined;
  }
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly jsonRpcCode = -32600,
  ) {
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
  params?: { name?: unknown; arguments?: unknown };
}

/** One tools/call of a message or batch: the tool's name and its arguments when they are an object. */
export interface CalledTool {
  name: string;
  arguments: Record<string, unknown>;
}

/** Every tools/call in a JSON-RPC message or batch. */
export function calledTools(body: unknown): CalledTool[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((message) => {
    const call = message as JsonRpcCall | null;
    if (!call || typeof call !== 'object' || call.method !== 'tools/call' || typeof call.params?.name !== 'string') return [];
    const args = call.params.arguments;
    return [{ name: call.params.name, arguments: typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : {} }];
  });
}

export function isInitializeRequest(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((message) => (message as JsonRpcCall | null)?.method === 'initialize');
}

/** True when the message or batch carries notifications/initialized (the client finished the handshake). */
export function isInitializedNotification(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((message) => (message as JsonRpcCall | null)?.method === 'notifications/initialized');
}

/** Headers a browser-based MCP client must be able to read, as the official server exposes them. */
const EXPOSED_HEADERS = 'Mcp-Session-Id, WWW-Authenticate';
const CORS_METHODS = 'GET, POST, DELETE, OPTIONS';
/** A request-header list a preflight may ask for (RFC 9110 tokens separated by commas). */
const HEADER_LIST = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+(\s*,\s*[!#$%&'*+\-.^_`|~0-9A-Za-z]+)*$/;

/**
 * CORS for browser-based MCP clients, as the official server (Starlette's CORSMiddleware
 * with any origin, no credentials, `Mcp-Session-Id` and `WWW-Authenticate` exposed). It runs
 * after the Host/Origin check, so only pages from allowed hosts ever get these headers:
 * `*` is safe because bearer tokens, not cookies, authenticate. Returns true when it
 * answered a preflight itself.
 */
export function applyCors(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.headers.origin === undefined) return false;
  const requestedMethod = request.headers['access-control-request-method'];
  if (request.method === 'OPTIONS' && typeof requestedMethod === 'string') {
    const requestedHeaders = request.headers['access-control-request-headers']?.trim();
    const headers: Record<string, string> = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': CORS_METHODS,
      'Access-Control-Max-Age': '600',
      Vary: 'Access-Control-Request-Method, Access-Control-Request-Headers',
    };
    if (requestedHeaders && HEADER_LIST.test(requestedHeaders)) headers['Access-Control-Allow-Headers'] = requestedHeaders;
    response.writeHead(204, headers);
    response.end();
    return true;
  }
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  return false;
}
