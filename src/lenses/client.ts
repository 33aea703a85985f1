import { silentLogger, type Logger } from '../log';
import { describeNetworkFailure, LensesConnectionError, problemFromResponse } from './errors';
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

  constructor(options: LensesClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.logger = options.logger ?? silentLogger;
  }

  /** The HQ path of an agent route of `environment` (through HQ's environment proxy). */
  environmentPath(environment: string, agentPath: string): string {
    return path`/api/v1/environments/${environment}/proxy` + agentPath;
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
    const headers: Record<string, string> = {
      Authorization: `Bearer ${await this.token()}`,
      Accept: 'application/json, text/plain;q=0.9, */*;q=0.5',
    };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const started = Date.now();
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url, { method, headers, body, signal, redirect: 'manual' });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted) throw new LensesConnectionError(`Lenses did not answer ${method} ${route} within ${this.timeoutMs} ms`);
      if (options.signal?.aborted) throw new LensesConnectionError(`${method} ${route} was cancelled`);
      // The URL goes to the log only: tool errors reach remote MCP clients (RS-16).
      this.logger.warn(`Could not reach Lenses at ${this.baseUrl} (${method} ${route}): ${describeCause(error)}`);
      throw new LensesConnectionError(`Could not reach Lenses HQ (${describeNetworkFailure(error)})`, { cause: error });
    }
    this.logger.debug(`HQ ${method} ${route} → ${response.status} in ${Date.now() - started} ms`);
    if (!response.ok) throw problemFromResponse(response.status, response.statusText, text);
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

function describeCause(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? error.cause.message : '';
    return cause || error.message;
  }
  return String(error);
}
