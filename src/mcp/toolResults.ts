import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { LensesApiError, LensesConnectionError, UnsafePathSegmentError } from '../lenses';
import { ToolArgumentError } from './tools';

/** An HQ answer as a tool result: JSON as text and as structuredContent; text (YAML, logs) as is. */
export function answerResult(value: unknown): CallToolResult {
  if (typeof value === 'string') return { content: [{ type: 'text', text: value.length > 0 ? value : '(empty answer)' }] };
  if (value === null || value === undefined) return { content: [{ type: 'text', text: 'Done: Lenses accepted the request.' }], structuredContent: { result: null } };
  const structured = isPlainObject(value) ? value : { result: value };
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: structured };
}

/** A failure the model can act on: one sentence, then the detail; never a stack trace. */
export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Failures that are part of normal operation (bad arguments, HQ refusals, HQ unreachable). */
export function isExpectedToolError(error: unknown): error is Error {
  return error instanceof ToolArgumentError || error instanceof UnsafePathSegmentError || error instanceof LensesApiError || error instanceof LensesConnectionError;
}

/** Whose credential the server sends to HQ: a user's session (OAuth, embedded) or `LENSES_API_KEY`. */
export type CredentialKind = 'session' | 'api-key';

/** What an HQ 401 tells the model with an API key: no sign-in can fix it. */
export const API_KEY_REJECTED = 'Lenses HQ rejected the API key: check LENSES_API_KEY';

/** The text of a tool error for `error` thrown while running `tool`. */
export function describeToolError(tool: string, error: unknown, credential: CredentialKind = 'session'): string {
  if (error instanceof ToolArgumentError) return `Invalid arguments for ${tool}: ${error.message}.`;
  if (error instanceof UnsafePathSegmentError) return `Invalid arguments for ${tool}: ${error.message}.`;
  if (error instanceof LensesApiError) {
    if (error.status === 401 && credential === 'api-key') return `${API_KEY_REJECTED} (HTTP 401 on ${tool}). The server's operator must set a valid key and restart it.`;
    if (error.status === 401) return `Lenses rejected the access token (HTTP 401) for ${tool}. Re-authenticate (sign in to Lenses again) and retry.`;
    const requestId = error.requestId ? ` (request id ${error.requestId})` : '';
    const hint = error.status === 403 ? ' Your Lenses user lacks the permission for this; ask an administrator.' : error.status === 404 ? ' Check the names with a list tool.' : '';
    return `${tool} failed: ${error.message}${requestId}.${hint}`;
  }
  if (error instanceof LensesConnectionError) return `${tool} failed: ${error.message}.`;
  return `${tool} failed because of an unexpected error in the Lenses MCP server; see its log.`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
