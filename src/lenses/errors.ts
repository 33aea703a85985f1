import type { HttpError } from '../http';

/**
 * Errors the Lenses HQ client raises. HQ answers failures as RFC 7807 problem details
 * (`type`, `title`, `status`, `detail`, `invalid_fields`, `request_id`); they become a
 * `LensesApiError` whose message is one readable sentence.
 */

/** One field HQ refused, as listed in `invalid_fields`. */
export interface InvalidField {
  field: string;
  message: string;
}

/** HQ answered with a non-2xx status (RFC 7807 problem details when it sent them). */
export class LensesApiError extends Error {
  override readonly name = 'LensesApiError';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly requestId: string | undefined,
    readonly invalidFields: readonly InvalidField[],
    readonly type: string | undefined,
  ) {
    super(describeProblem(status, title, detail, invalidFields));
  }

  /** HQ refused the credential: the caller must authenticate again. */
  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}

/** HQ could not be reached, timed out or answered something that is not HTTP we understand. */
export class LensesConnectionError extends Error {
  override readonly name = 'LensesConnectionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The connection error for a request the HTTP core could not complete, in words that name
 * no host, port or URL: tool results go to remote MCP clients, and the internal
 * `LENSES_URL` must not leak to them (RS-16). `what` names the request ("GET /api/topics").
 */
export function connectionErrorOf(error: HttpError, what: string, timeoutMs: number): LensesConnectionError {
  switch (error.code) {
    case 'timeout':
      return new LensesConnectionError(`Lenses did not answer ${what} within ${timeoutMs} ms`, { cause: error });
    case 'cancelled':
      return new LensesConnectionError(`${what} was cancelled`, { cause: error });
    case 'unreachable':
      return new LensesConnectionError(`Could not reach Lenses HQ (${error.message})`, { cause: error });
    case 'redirected':
      return new LensesConnectionError(
        `Lenses answered ${what} with a redirect (HTTP ${error.status}); redirects are not followed, so the token goes nowhere else`,
        { cause: error },
      );
    case 'too_large':
      return new LensesConnectionError(`Lenses ${error.message} to ${what}`, { cause: error });
    default:
      return new LensesConnectionError(error.message, { cause: error });
  }
}

/** A path parameter that would change the route (`/`, `..`, `%2F`, control characters) or is too long. */
export class UnsafePathSegmentError extends Error {
  override readonly name = 'UnsafePathSegmentError';
  constructor(readonly value: string) {
    super(
      `"${printable(value)}" is not allowed in a Lenses path: it must not be empty, '.' or '..', longer than 1024 characters, or contain '/', '\\', '%', '?', '#' or control characters`,
    );
  }
}

function describeProblem(status: number, title: string, detail: string | undefined, invalidFields: readonly InvalidField[]): string {
  const parts = [`Lenses answered ${status} ${title}`.trim()];
  if (detail && detail !== title) parts.push(detail);
  // Fields the detail does not already name.
  const unnamed = invalidFields.filter((f) => !detail?.includes(f.field));
  if (unnamed.length > 0) parts.push(`invalid fields: ${unnamed.map((f) => `${f.field} (${f.message})`).join(', ')}`);
  return parts.join(': ');
}

function printable(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 80);
}

const MAX_PROBLEM_TEXT = 500;

/** Builds the typed error from an HQ error response body (JSON problem, other JSON, or text). */
export function problemFromResponse(status: number, statusText: string, bodyText: string): LensesApiError {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const problem = body as Record<string, unknown>;
    const title = stringField(problem.title) ?? stringField(problem.error) ?? (statusText || 'Error');
    const detail = stringField(problem.detail) ?? stringField(problem.message) ?? stringField(problem.error_description);
    return new LensesApiError(
      status,
      truncate(title),
      detail === undefined ? undefined : truncate(detail),
      stringField(problem.request_id) ?? stringField(problem.requestId),
      invalidFieldsOf(problem.invalid_fields),
      stringField(problem.type),
    );
  }
  const text = bodyText.trim();
  return new LensesApiError(status, statusText || 'Error', text ? truncate(text) : undefined, undefined, [], undefined);
}

function invalidFieldsOf(value: unknown): InvalidField[] {
  if (Array.isArray(value)) {
    return value.flatMap((entry) => {
      if (entry && typeof entry === 'object') {
        const record = entry as Record<string, unknown>;
        const field = stringField(record.field) ?? stringField(record.name) ?? '?';
        return [{ field, message: stringField(record.message) ?? stringField(record.reason) ?? 'invalid' }];
      }
      return typeof entry === 'string' ? [{ field: entry, message: 'invalid' }] : [];
    });
  }
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([field, message]) => ({ field, message: String(message) }));
  }
  return [];
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function truncate(text: string): string {
  return text.length > MAX_PROBLEM_TEXT ? `${text.slice(0, MAX_PROBLEM_TEXT)}…` : text;
}
