import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The HTTP vocabulary of the emulated Lenses API: what a handler returns (`Reply`),
 * the RFC 7807 problem it throws (`ApiProblem`), and reading/writing bodies.
 */

/** One refused field of a request, as HQ lists it in `invalid_fields`. */
export interface InvalidField {
  field: string;
  message: string;
}

/** What a route handler answers: JSON, text (YAML, logs) or nothing. */
export type Reply =
  { status: number; kind: 'json'; body: unknown } | { status: number; kind: 'text'; body: string; contentType: string } | { status: number; kind: 'empty' };

export const ok = (body: unknown): Reply => ({ status: 200, kind: 'json', body });
export const created = (body: unknown): Reply => ({ status: 201, kind: 'json', body });
export const noContent = (): Reply => ({ status: 204, kind: 'empty' });
export const text = (body: string, contentType = 'text/plain; charset=utf-8'): Reply => ({ status: 200, kind: 'text', body, contentType });

/** HQ's `hq_ErrorType` words for the emulator's problem slugs. */
const HQ_ERROR_TYPES: Readonly<Record<string, string>> = {
  'not-found': 'not_found',
  unauthorized: 'unauthorised',
  'insufficient-scope': 'forbidden',
  'agent-not-connected': 'agent_not_connected',
  validation: 'validation_error',
  'bad-request': 'validation_error',
  conflict: 'conflict',
  internal: 'internal_server_error',
};

/**
 * A failure, answered in the shape Lenses publishes for where it happened:
 * - HQ itself (auth, unknown environment, agent not connected, HQ routes): `hq_Error`
 *   `{type (a word such as not_found), title (the human-readable description), status,
 *   invalid_fields?: [{name, error, title}], request_id}` —
 *   https://docs.lenses.io/latest/api-reference/reference/models;
 * - an agent route's own refusal, passed through HQ's proxy: `agent_BadRequest`
 *   `{error, errorType, fields?: [{field, error}]}` —
 *   https://docs.lenses.io/latest/api-reference/reference/sql-streaming.
 */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly invalidFields?: readonly InvalidField[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail ?? title);
  }

  /** Set when an agent route raised it: answered as `agent_BadRequest`. */
  fromAgent = false;

  /** The same problem, raised by an agent route. */
  asAgent(): this {
    this.fromAgent = true;
    return this;
  }

  body(requestId: string): Record<string, unknown> {
    if (this.fromAgent) {
      return {
        error: this.detail ?? this.title,
        errorType: this.slug,
        ...(this.invalidFields === undefined ? {} : { fields: this.invalidFields.map((f) => ({ field: f.field, error: f.message })) }),
      };
    }
    return {
      type: HQ_ERROR_TYPES[this.slug] ?? 'unspecified',
      title: this.detail ?? this.title,
      status: this.status,
      ...(this.invalidFields === undefined ? {} : { invalid_fields: this.invalidFields.map((f) => ({ name: f.field, error: 'invalid', title: f.message })) }),
      request_id: requestId,
    };
  }
}

export const badRequest = (detail: string, invalidFields?: readonly InvalidField[]) => new ApiProblem(400, 'bad-request', 'Bad Request', detail, invalidFields);
export const invalidFields = (fields: readonly InvalidField[]) =>
  new ApiProblem(400, 'validation', 'Validation failed', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
export const notFound = (detail: string) => new ApiProblem(404, 'not-found', 'Not Found', detail);
export const conflict = (detail: string) => new ApiProblem(409, 'conflict', 'Conflict', detail);

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a JSON request body (at most 1 MiB). Empty body = `undefined`. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new ApiProblem(413, 'payload-too-large', 'Payload Too Large', 'The request body is larger than 1 MiB');
    chunks.push(buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim().length === 0) return undefined;
  const contentType = request.headers['content-type'] ?? '';
  if (!/\bjson\b/i.test(contentType)) {
    throw new ApiProblem(415, 'unsupported-media-type', 'Unsupported Media Type', 'Send the request body as application/json');
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw badRequest('The request body is not valid JSON');
  }
}

/** Writes a handler's reply. */
export function sendReply(response: ServerResponse, reply: Reply, requestId: string): void {
  response.setHeader('X-Request-Id', requestId);
  response.setHeader('Cache-Control', 'no-store');
  switch (reply.kind) {
    case 'json':
      response.writeHead(reply.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply.body));
      return;
    case 'text':
      response.writeHead(reply.status, { 'Content-Type': reply.contentType }).end(reply.body);
      return;
    case 'empty':
      response.writeHead(reply.status).end();
      return;
  }
}

/** Writes a problem as `application/problem+json` with its extra headers. */
export function sendProblem(response: ServerResponse, problem: ApiProblem, requestId: string): void {
  response.setHeader('X-Request-Id', requestId);
  response.setHeader('Cache-Control', 'no-store');
  response.writeHead(problem.status, { ...problem.headers, 'Content-Type': 'application/problem+json' });
  response.end(JSON.stringify(problem.body(requestId)));
}
