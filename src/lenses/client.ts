import { HttpError, request as outboundRequest, sameOriginAs, type BearerOrigins, type OutboundResponse } from '../http';
import { silentLogger, type Logger } from '../log';
import { connectionErrorOf, LensesConnectionError, problemFromResponse } from './errors';
import { path } from './paths';

/**
 * Where the client gets the credential for each call: the request's validated bearer
 * (OAuth mode), the static API key, or the editor's current session. The tools never
 * know which.
 */
export type TokenSource = () => string | Promise<string>;

export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

export interface LensesRequestOptions {
  /** Query parameters; arrays repeat the key, `undefined`/`null` are left out. */
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
}

export interface LensesClientOptions {
  /** HQ base URL (`LENSES_URL`), e.g. `http://localhost:9991`. */
  baseUrl: string;
  token: TokenSource;
  fetch?: typeof fetch;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  logger?: Logger;
  /** Where the bearer may go (CL-16); default the origin of `baseUrl` only. */
  bearerOrigins?: BearerOrigins;
  /**
   * Plain http to a host that is not loopback. Default true: `LENSES_URL` is set by the
   * operator of a server (in-cluster http is common, as with the official server); the
   * editor passes `lenses.allowInsecureHttp`.
   */
  allowInsecureHttp?: boolean;
  /** Largest answer read; default the core's 16 MiB. */
  maxResponseBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A typed client for Lenses HQ: its native routes (`/api/v1/environments…`) and, through
 * the environment proxy, each environment's agent API. Non-2xx answers throw
 * `LensesApiError`; network failures and timeouts throw `LensesConnectionError`.
 */
export class LensesClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly token: TokenSource;
  private readonly logger: Logger;
  /** Shared with the SQL WebSocket handshake, which must follow the same rules. */
  readonly bearerOrigins: BearerOrigins;
  readonly allowInsecureHttp: boolean;
  private readonly maxResponseBytes?: number;

  constructor(options: LensesClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.logger = options.logger ?? silentLogger;
    this.bearerOrigins = options.bearerOrigins ?? sameOriginAs(this.baseUrl);
    this.allowInsecureHttp = options.allowInsecureHttp ?? true;
    this.maxResponseBytes = options.maxResponseBytes;
  }

  /** The HQ path of an agent route of `environment` (through HQ's environment proxy). */
  environmentPath(environment: string, agentPath: string): string {
    return path`/api/v1/environments/${environment}/proxy` + agentPath;
  }

  /**
   * Logs an answer that matched no published shape (the tools then pass it through): the
   * endpoint and the answer's top-level keys, never its values.
   */
  noteUnrecognisedAnswer(request: string, keys: string): void {
    this.logger.warn(`Lenses answered ${request} with a shape no known Lenses version publishes (${keys}); passing it through as it came`);
  }

  /** The credential the next call will send (for the SQL WebSocket handshake). */
  currentToken(): Promise<string> {
    return Promise.resolve(this.token());
  }

  get(route: string, options?: LensesRequestOptions): Promise<unknown> {
    return this.request('GET', route, options);
  }
  post(route: string, body?: unknown, options?: LensesRequestOptions): Promise<unknown> {
    return this.request('POST', route, { ...options, body });
  }
  put(route: string, body?: unknown, options?: LensesRequestOptions): Promise<unknown> {
    return this.request('PUT', route, { ...options, body });
  }
  delete(route: string, options?: LensesRequestOptions): Promise<unknown> {
    return this.request('DELETE', route, options);
  }

  /**
   * One HQ call. Returns the parsed JSON body, the text body for non-JSON answers
   * (YAML, logs), or `null` for an empty one.
   */
  async request(method: string, route: string, options: LensesRequestOptions = {}): Promise<unknown> {
    const url = new URL(this.baseUrl + route);
    appendQuery(url, options.query);
    const headers: Record<string, string> = { Accept: 'application/json, text/plain;q=0.9, */*;q=0.5' };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const started = Date.now();
    const token = await this.token();
    let response: OutboundResponse;
    try {
      response = await outboundRequest(
        url,
        { method, headers, body },
        {
          fetch: this.fetchImpl,
          timeoutMs: this.timeoutMs,
          signal: options.signal,
          allowInsecureHttp: this.allowInsecureHttp,
          bearer: { token, origins: this.bearerOrigins },
          maxResponseBytes: this.maxResponseBytes,
        },
      );
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      // The URL goes to the log only: tool errors reach remote MCP clients (RS-16).
      if (error.code !== 'cancelled')
        this.logger.warn(`Lenses at ${this.baseUrl} (${method} ${route}): ${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}`);
      throw connectionErrorOf(error, `${method} ${route}`, this.timeoutMs);
    }
    const { text } = response;
    this.logger.debug(`HQ ${method} ${route} → ${response.status} in ${Date.now() - started} ms`);
    if (!response.ok) throw problemFromResponse(response.status, response.statusText, text, token);
    if (text.length === 0) return null;
    const contentType = response.headers.get('content-type') ?? '';
    if (contentType.includes('json')) {
      try {
        return JSON.parse(text);
      } catch {
        throw new LensesConnectionError(`Lenses answered ${method} ${route} with malformed JSON`);
      }
    }
    return text;
  }
}

function appendQuery(url: URL, query: Record<string, QueryValue> | undefined): void {
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) url.searchParams.append(key, String(item));
  }
}
