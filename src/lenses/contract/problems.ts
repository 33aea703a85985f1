import { z } from 'zod';

/**
 * The error bodies Lenses publishes. Every schema keeps keys it does not name.
 */

/**
 * HQ's error, `hq_Error` (RFC 7807 problem details), the same in 6.1, 6.2 and 6.3:
 * https://docs.lenses.io/latest/api-reference/reference/models (and …/6.3/reference/models).
 * `type` is a word such as `not_found`, not a URI; `title` is the human-readable description
 * and the only required text. `detail` is not published (read when present, as other
 * RFC 7807 servers send it).
 */
export const hqInvalidField = z.looseObject({
  name: z.string(),
  /** `hq_FieldErrorType`, e.g. `reference_not_found` (the full enum is not visible in the reference). */
  error: z.string().optional(),
  title: z.string().optional(),
});
export const hqError = z.looseObject({
  type: z.string().optional(),
  title: z.string(),
  status: z.number().int().optional(),
  invalid_fields: z.array(hqInvalidField).optional(),
  sso_url: z.string().optional(),
  request_id: z.string().optional(),
});
export type HqError = z.infer<typeof hqError>;

/**
 * The agent's own error, `agent_BadRequest` (agent pages, 6.1/6.2):
 * https://docs.lenses.io/latest/api-reference/reference/sql-streaming. SQL errors carry the
 * line and column of each field error.
 */
export const agentFieldError = z.looseObject({
  field: z.string(),
  error: z.string(),
  lineNumber: z.number().int().optional(),
  columnNumber: z.number().int().optional(),
});
export const agentBadRequest = z.looseObject({
  error: z.string(),
  errorType: z.string().optional(),
  fields: z.array(agentFieldError).optional(),
});
export type AgentBadRequest = z.infer<typeof agentBadRequest>;

/**
 * An OAuth error (RFC 6749 §5.2) as an authorization server answers it; the official
 * server's error text falls back to `error_description` (lensesio/lenses-mcp, clients/http_client.py).
 */
export const oauthError = z.looseObject({ error: z.string().optional(), error_description: z.string() });

/**
 * What the HQ client reads an error body with: `hq_Error` leniently (an odd invalid field must
 * not hide the title; the contract test holds the emulator to the strict schema), each invalid
 * field as published or as the `{field, message}` other problem servers send.
 */
export const hqErrorLenient = hqError.extend({ invalid_fields: z.array(z.unknown()).optional() });
export const otherInvalidField = z.looseObject({ field: z.string(), message: z.string().optional() });
