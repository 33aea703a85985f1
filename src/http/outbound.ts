import { assertBearerAllowed, type BearerOrigins } from './bearerOrigins';
import { HttpError, networkFailureReason } from './errors';
import { assertSecureUrl, parseUrl } from './urlPolicy';

/** Default answer size limit: generous for HQ lists, small enough that a hostile server cannot fill memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** A Lenses bearer and the rule for where it may go. */
export interface Bearer {
  token: string;
  origins: BearerOrigins;
}

/** How one outbound request runs: the same options for every room. */
export interface OutboundOptions {
  fetch?: typeof fetch;
  /** Whole exchange, body included. Omitted: only the caller's signal ends it. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Plain http to a host that is not loopback (CL-13). Default false. */
  allowInsecureHttp?: boolean;
  /** Sent as `Authorization: Bearer …`, and only when `bearer.origins` allows the URL (CL-16). */
  bearer?: Bearer;
  /** Default DEFAULT_MAX_RESPONSE_BYTES; larger answers fail with `too_large`. */
  maxResponseBytes?: number;
}

export interface OutboundInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** An answer read whole (within the size limit). */
export interface OutboundResponse {
  /** 2xx. */
  ok: boolean;
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

/**
 * Runs `work` under a timeout joined to the caller's signal; an abort becomes HttpError
 * `cancelled` (the caller's) or `timeout` (ours), anything else is rethrown as is.
 */
export async function withTimeout<T>(
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
  work: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  const clock = startClock(timeoutMs, signal);
  try {
    return await work(clock.signal);
  } catch (error) {
    throw clock.abortError(error) ?? error;
  }
}

/** The caller's signal joined to a deadline, and the coded error for an abort of either. */
function startClock(timeoutMs: number | undefined, caller: AbortSignal | undefined) {
  if (caller?.aborted) throw cancelled(caller);
  const deadline = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  const parts = [caller, deadline].filter((part): part is AbortSignal => part !== undefined);
  return {
    signal: parts.length > 1 ? AbortSignal.any(parts) : parts[0],
    /** `cancelled` / `timeout` when one of them aborted, else undefined. */
    abortError(cause?: unknown): HttpError | undefined {
      if (caller?.aborted) return cancelled(caller, cause);
      if (deadline?.aborted) return new HttpError('timeout', `no answer within ${formatMs(timeoutMs ?? 0)}`, { cause });
      return undefined;
    },
  };
}

/**
 * One HTTP exchange under the project's rules, answered as a `Response` whose body is
 * size-limited and still governed by the timeout while it is read (for oauth4webapi's
 * `process*` functions). `redirect: 'manual'`: a 3xx comes back as is, never followed.
 * Throws HttpError: invalid_url, insecure_url, bearer_refused, unreachable, cancelled, timeout.
 */
export async function send(url: string | URL, init: OutboundInit, options: OutboundOptions): Promise<Response> {
  const target = parseUrl(url);
  const headers = preparedHeaders(target, init.headers, options);
  const clock = startClock(options.timeoutMs, options.signal);
  const fetchImpl = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await fetchImpl(target.href, { method: init.method ?? 'GET', headers, body: init.body, redirect: 'manual', signal: clock.signal });
  } catch (error) {
    throw clock.abortError(error) ?? new HttpError('unreachable', networkFailureReason(error), { cause: error });
  }
  return limitedResponse(response, options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, (cause) => clock.abortError(cause));
}

/**
 * `send` and read the whole answer. A 3xx answer is refused (`redirected`): a bearer
 * never follows a redirect, and no caller expects one.
 */
export async function request(url: string | URL, init: OutboundInit, options: OutboundOptions): Promise<OutboundResponse> {
  const response = await send(url, init, options);
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    throw new HttpError('redirected', `answered with a redirect (HTTP ${response.status}), which is never followed`, { status: response.status });
  }
  const text = await response.text();
  return { ok: response.ok, status: response.status, statusText: response.statusText, headers: response.headers, text };
}

/**
 * A form POST (`application/x-www-form-urlencoded`, JSON accepted), e.g. RFC 7662
 * introspection: `postForm(url, { token, token_type_hint: 'access_token' }, { timeoutMs: 5000, maxResponseBytes: 64 * 1024 })`.
 */
export function postForm(url: string | URL, fields: Record<string, string>, options: OutboundOptions): Promise<OutboundResponse> {
  return request(
    url,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(fields).toString(),
    },
    options,
  );
}

/**
 * The headers for a request to `url` after the URL policy and the bearer rule: the one
 * place an `Authorization: Bearer` header is made. Also used by the SQL WebSocket handshake.
 */
export function preparedHeaders(
  url: URL,
  given: Record<string, string> | undefined,
  options: Pick<OutboundOptions, 'allowInsecureHttp' | 'bearer'>,
): Record<string, string> {
  assertSecureUrl(url, options.allowInsecureHttp ?? false);
  const headers: Record<string, string> = { ...given };
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'authorization' && /^\s*bearer\b/i.test(headers[name] ?? '')) {
      throw new HttpError('bearer_refused', 'a bearer goes through the `bearer` option only, so the origin rule sees it');
    }
  }
  if (options.bearer) {
    assertBearerAllowed(url, options.bearer.origins);
    headers.Authorization = `Bearer ${options.bearer.token}`;
  }
  return headers;
}

/** The response with a body that fails with `too_large` past `maxBytes` (declared or streamed). */
function limitedResponse(response: Response, maxBytes: number, aborted: (cause: unknown) => HttpError | undefined): Response {
  const declared = Number(response.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel().catch(() => undefined);
    throw tooLarge(response.status, maxBytes);
  }
  if (!response.body || NULL_BODY_STATUSES.has(response.status)) return response;
  let size = 0;
  const limiter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      size += chunk.byteLength;
      if (size > maxBytes) controller.error(tooLarge(response.status, maxBytes));
      else controller.enqueue(chunk);
    },
  });
  const body = response.body.pipeThrough(limiter);
  const reader = body.getReader();
  // Re-wrapped so a body read that the timeout or the caller aborted fails with our code, not a bare AbortError.
  const mapped = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(
          error instanceof HttpError
            ? error
            : (aborted(error) ?? new HttpError('unreachable', `the answer broke off (${networkFailureReason(error)})`, { cause: error })),
        );
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(mapped, { status: response.status, statusText: response.statusText, headers: response.headers });
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function tooLarge(status: number, maxBytes: number): HttpError {
  return new HttpError('too_large', `answered more than ${formatBytes(maxBytes)}`, { status });
}

function cancelled(signal: AbortSignal, cause?: unknown): HttpError {
  return new HttpError('cancelled', 'cancelled', { cause: cause ?? signal.reason });
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
