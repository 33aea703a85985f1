import type { HttpError } from '../http';
import { lazyContract } from './contract/lazyContract';

/**
 * Errors the Lenses HQ client raises. HQ answers failures as `hq_Error` (`type`, `title`,
 * `status`, `invalid_fields[{name, error, title}]`, `request_id`), an agent behind HQ's proxy
 * as `agent_BadRequest` (`error`, `fields[{field, error, lineNumber, columnNumber}]`); they
 * become a `LensesApiError` whose message is one readable sentence.
 */

/** One field HQ refused: `invalid_fields[]` (`name`, `title`) or an agent's `fields[]` (`field`, `error`, line and column for SQL). */
export interface InvalidField {
  field: string;
  message: string;
  line?: number;
  column?: number;
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

  /** HQ's own problem text (its title and detail), bounded and without credentials: quoted beside our advice. */
  get hqText(): string {
    return this.detail && this.detail !== this.title ? `${this.title}: ${this.detail}` : this.title;
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
  if (unnamed.length > 0) parts.push(`invalid fields: ${unnamed.map(describeField).join(', ')}`);
  return parts.join(': ');
}

function describeField(field: InvalidField): string {
  const at = field.line === undefined ? '' : `, line ${field.line}${field.column === undefined ? '' : ` column ${field.column}`}`;
  return `${field.field} (${field.message}${at})`;
}

function printable(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 80);
}

const MAX_PROBLEM_TEXT = 500;
/** An error body in no published shape is quoted raw up to this many characters. */
const MAX_RAW_BODY = 300;

/**
 * Builds the typed error from an HQ error response body, read through the published shapes
 * (contract/problems.ts): HQ's `hq_Error` (title, invalid fields by name), the agent's
 * `agent_BadRequest` (error, fields with line and column), an OAuth error
 * (`error_description`); any other body (a 5xx JSON without those keys, HTML, text) is
 * quoted raw within a small bound. `secret` (the credential sent) is blanked wherever HQ
 * echoes it, so a token never reaches a tool answer.
 */
export function problemFromResponse(status: number, statusText: string, bodyText: string, secret?: string): LensesApiError {
  const clean = (text: string) => withoutSecrets(text, secret);
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  const requestId =
    stringField((body as Record<string, unknown> | undefined)?.request_id) ?? stringField((body as Record<string, unknown> | undefined)?.requestId);
  const { agentBadRequest, hqErrorLenient, oauthError } = lazyContract();
  const hq = hqErrorLenient.safeParse(body);
  if (hq.success && hq.data.title.length > 0) {
    const detail = stringField(hq.data.detail) ?? stringField(hq.data.error_description);
    const fields = (hq.data.invalid_fields ?? []).flatMap(invalidFieldOf);
    return new LensesApiError(
      status,
      truncate(clean(hq.data.title)),
      detail && truncate(clean(detail)),
      requestId,
      fields.map(cleanField(clean)),
      hq.data.type,
    );
  }
  const oauth = oauthError.safeParse(body);
  if (oauth.success) return new LensesApiError(status, statusText || 'Error', truncate(clean(oauth.data.error_description)), requestId, [], oauth.data.error);
  const agent = agentBadRequest.safeParse(body);
  if (agent.success) {
    const fields = (agent.data.fields ?? []).map((f) => ({ field: f.field, message: f.error, line: f.lineNumber, column: f.columnNumber }));
    return new LensesApiError(status, statusText || 'Error', truncate(clean(agent.data.error)), requestId, fields.map(cleanField(clean)), agent.data.errorType);
  }
  // No published shape: HQ's words as they came, bounded (as the official server shows them).
  const raw = bodyText.trim();
  return new LensesApiError(status, statusText || 'Error', raw ? bounded(clean(raw), MAX_RAW_BODY) : undefined, requestId, [], undefined);
}

/** A published `hq_InvalidField` `{name, error, title}`; also the `{field, message}` other problem servers send. */
function invalidFieldOf(entry: unknown): InvalidField[] {
  const { hqInvalidField, otherInvalidField } = lazyContract();
  const published = hqInvalidField.safeParse(entry);
  if (published.success) return [{ field: published.data.name, message: published.data.title ?? published.data.error ?? 'invalid' }];
  const other = otherInvalidField.safeParse(entry);
  return other.success ? [{ field: other.data.field, message: other.data.message ?? 'invalid' }] : [];
}

function cleanField(clean: (text: string) => string): (field: InvalidField) => InvalidField {
  return (field) => ({ ...field, field: truncate(clean(field.field)), message: truncate(clean(field.message)) });
}

/** `text` with the credential and anything after "Bearer " blanked. */
function withoutSecrets(text: string, secret: string | undefined): string {
  const blanked = secret && secret.length >= 8 ? text.split(secret).join('[credential]') : text;
  return blanked.replace(/\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [credential]');
}

function bounded(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function truncate(text: string): string {
  return text.length > MAX_PROBLEM_TEXT ? `${text.slice(0, MAX_PROBLEM_TEXT)}…` : text;
}
