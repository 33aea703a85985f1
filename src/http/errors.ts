/**
 * Stable codes of the outbound HTTP core. Messages are short, name no host, port or URL
 * (tool errors reach remote MCP clients, RS-16) and never a token; callers wrap them in
 * their own words and keep the HttpError as `cause`.
 */
export type HttpErrorCode =
  | 'invalid_url' // not an http(s)/ws(s) URL
  | 'insecure_url' // plain http to a host that is not loopback, not allowed (CL-13)
  | 'bearer_refused' // the bearer rule refuses this origin (CL-16)
  | 'timeout' // no answer within the timeout
  | 'cancelled' // the caller's signal aborted
  | 'unreachable' // refused, reset, DNS, TLS
  | 'redirected' // a 3xx answer: never followed
  | 'too_large'; // the answer exceeds the size limit

/** An outbound request that failed before a usable answer; `cause` keeps what was thrown underneath. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  /** HTTP status of the answer, for `redirected` and `too_large`. */
  readonly status?: number;

  constructor(
    readonly code: HttpErrorCode,
    message: string,
    options: { cause?: unknown; status?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
  }
}

/** The HttpError in `error` or its `cause` chain (libraries such as oauth4webapi wrap what they catch). */
export function httpErrorIn(error: unknown): HttpError | undefined {
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof HttpError) return current;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

/** Why a connection failed, in words that name no host, port or URL. */
export function networkFailureReason(error: unknown): string {
  const code = codeOf(error) ?? codeOf(error instanceof Error ? error.cause : undefined);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'network unreachable';
    default:
      return code && /CERT|SSL|TLS/.test(code) ? 'TLS certificate problem' : 'network error';
  }
}

function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
