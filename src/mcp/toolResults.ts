import type { CallToolResult } from '@modelcontextprotocol/server';
import { LensesApiError, LensesConnectionError, UnsafePathSegmentError } from '../lenses';
import { ToolArgumentError } from './tools/toolArgumentError';
import { DEFAULT_MAX_TOOL_OUTPUT_CHARS, ToolAnswer } from './tools/answer';
import { countThatFits, pretty, shortenableList } from './tools/paging';
import { isRecord } from '../records';

/**
 * An HQ answer as a tool result: a shaped `ToolAnswer` as it is (text + structuredContent);
 * JSON as text and as structuredContent; text (YAML, logs) as is. Answers of tools that do
 * not page are still held to `maxChars`, by whole items or lines, never a cut value.
 */
export function answerResult(value: unknown, maxChars = DEFAULT_MAX_TOOL_OUTPUT_CHARS): CallToolResult {
  if (value instanceof ToolAnswer)
    return { content: [{ type: 'text', text: value.text }], ...(value.structured ? { structuredContent: value.structured } : {}) };
  if (typeof value === 'string') {
    if (value.length === 0) return { content: [{ type: 'text', text: '(empty answer)' }] };
    return { content: [{ type: 'text', text: value.length <= maxChars ? value : firstLines(value, maxChars) }] };
  }
  if (value === null || value === undefined)
    return { content: [{ type: 'text', text: 'Done: Lenses accepted the request.' }], structuredContent: { result: null } };
  const text = pretty(value);
  if (text.length > maxChars) return oversizedResult(value, text.length, maxChars);
  const structured = isRecord(value) ? value : { result: value };
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

/**
 * A JSON answer over the budget from a tool without paging arguments: the first whole items
 * of its list (the answer itself, or its largest list field) and a note; else a tool error.
 */
function oversizedResult(value: unknown, length: number, maxChars: number): CallToolResult {
  const shortenable = shortenableList(value);
  if (shortenable) {
    const { list, key: listKey, rebuild } = shortenable;
    let count = countThatFits(list, maxChars - 400, listKey === undefined ? 1 : 2, rebuild);
    for (; count > 0; count--) {
      const shown = rebuild(list.slice(0, count));
      const note = `showing the first ${count} of ${list.length} ${listKey === undefined ? 'items' : `"${listKey}" items`}: the whole answer is ${length.toLocaleString('en-US')} characters, over the ${maxChars.toLocaleString('en-US')}-character answer budget; ask for something narrower.`;
      const text = `${pretty(shown)}\n\n${note}`;
      if (text.length <= maxChars) {
        const structured = isRecord(shown) ? { ...shown, note } : { result: shown, note };
        return { content: [{ type: 'text', text }], structuredContent: structured };
      }
    }
  }
  return {
    content: [
      {
        type: 'text',
        text: `The answer from Lenses is ${length.toLocaleString('en-US')} characters, over the ${maxChars.toLocaleString('en-US')}-character answer budget, and has no list to shorten by whole items. Ask for something narrower, or raise the budget (LENSES_MAX_TOOL_OUTPUT_CHARS, or lenses.mcp.maxToolOutputChars in VS Code).`,
      },
    ],
    isError: true,
  };
}

/** The first whole lines of a text answer over the budget, and a note. */
function firstLines(text: string, maxChars: number): string {
  const lines = text.split('\n');
  let used = 0;
  let count = 0;
  while (count < lines.length && used + lines[count].length + 1 <= maxChars - 300) used += lines[count++].length + 1;
  const note = `showing the first ${count} of ${lines.length} lines: the whole answer is ${text.length.toLocaleString('en-US')} characters, over the ${maxChars.toLocaleString('en-US')}-character answer budget.`;
  return `${lines.slice(0, count).join('\n')}\n\n${note}`;
}

/** A failure the model can act on: one sentence, then the detail; never a stack trace. */
export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Failures that are part of normal operation (bad arguments, HQ refusals, HQ unreachable). */
export function isExpectedToolError(error: unknown): error is Error {
  return (
    error instanceof ToolArgumentError || error instanceof UnsafePathSegmentError || error instanceof LensesApiError || error instanceof LensesConnectionError
  );
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
    // HQ's own words (bounded, credentials blanked by problemFromResponse) beside our advice, as the official server does.
    const said = ` Lenses said: "${error.hqText}".`;
    if (error.status === 401 && credential === 'api-key')
      return `${API_KEY_REJECTED} (HTTP 401 on ${tool}).${said} The server's operator must set a valid key and restart it.`;
    if (error.status === 401)
      return `Authentication error: Lenses rejected the access token (HTTP 401) for ${tool}.${said} Re-authenticate (sign in to Lenses again) and retry.`;
    const requestId = error.requestId ? ` (request id ${error.requestId})` : '';
    const hint =
      error.status === 403
        ? ' Your Lenses user lacks the permission for this; ask an administrator.'
        : error.status === 404
          ? ' Check the names with a list tool.'
          : '';
    return `${tool} failed: ${error.message}${requestId}.${hint}`;
  }
  if (error instanceof LensesConnectionError) return `${tool} failed: ${error.message}.`;
  return `${tool} failed because of an unexpected error in the Lenses MCP server; see its log.`;
}
