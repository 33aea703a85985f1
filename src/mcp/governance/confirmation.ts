import type { ElicitRequestFormParams, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { Scope } from '../../scopes';
import type { DescribedAction } from './toolActions';

/** The form field a delete's confirmation asks for: the resource name, typed back. */
export const CONFIRM_NAME_FIELD = 'confirm_name';
/** The form field a write's confirmation asks for: yes or no. */
export const CONFIRM_FIELD = 'confirm';

/**
 * The `elicitation/create` form asking the user to confirm one call on a protected
 * environment: the action in words, why it is asked, and, for a delete, the name typed back
 * (so a hasty click is not enough).
 */
export function confirmationRequest(action: DescribedAction, scope: Scope, because: string): ElicitRequestFormParams {
  const typeBack = scope === 'delete' && action.resource !== undefined;
  const message = [
    `${action.sentence}?`,
    `${because}, so an AI agent needs your confirmation before Lenses MCP changes it.`,
    typeBack ? `Type "${action.resource}" to confirm, or decline.` : 'Confirm to run it, or decline.',
  ].join(' ');
  const requestedSchema: ElicitRequestFormParams['requestedSchema'] = typeBack
    ? {
        type: 'object',
        properties: {
          [CONFIRM_NAME_FIELD]: { type: 'string', title: `Type "${action.resource}" to confirm`, description: `${action.sentence}: type the name to confirm` },
        },
        required: [CONFIRM_NAME_FIELD],
      }
    : {
        type: 'object',
        properties: { [CONFIRM_FIELD]: { type: 'boolean', title: `${action.sentence}?`, description: 'true runs it; false does nothing', default: false } },
        required: [CONFIRM_FIELD],
      };
  return { mode: 'form', message, requestedSchema };
}

/** What the user's answer means: only `confirmed` lets the call run. */
export type ConfirmationVerdict = 'confirmed' | 'declined' | 'cancelled' | 'name-mismatch' | 'not-confirmed';

export function confirmationVerdict(result: ElicitResult, action: DescribedAction, scope: Scope): ConfirmationVerdict {
  if (result.action === 'decline') return 'declined';
  if (result.action !== 'accept') return 'cancelled';
  const content = result.content ?? {};
  if (scope === 'delete' && action.resource !== undefined) {
    const typed = content[CONFIRM_NAME_FIELD];
    return typeof typed === 'string' && typed.trim() === action.resource ? 'confirmed' : 'name-mismatch';
  }
  return content[CONFIRM_FIELD] === true ? 'confirmed' : 'not-confirmed';
}

/** The tool error when the call did not run: says nothing changed and not to work around it. */
export function notConfirmedMessage(tool: string, action: DescribedAction, verdict: Exclude<ConfirmationVerdict, 'confirmed'> | 'no-answer'): string {
  const what = `${action.sentence}: not done, nothing was changed.`;
  switch (verdict) {
    case 'declined':
    case 'not-confirmed':
      return `${what} The user declined to confirm ${tool}. Do not retry or try another way; ask the user what they want instead.`;
    case 'cancelled':
      return `${what} The user cancelled the confirmation of ${tool}. Do not retry unless the user asks you to.`;
    case 'name-mismatch':
      return `${what} The name the user typed did not match "${action.resource}", so ${tool} did not run. Retry only if the user asks you to, and tell them to type the name exactly.`;
    case 'no-answer':
      return `${what} ${tool} needed the user's confirmation, but no answer came (the request was cancelled or timed out). Retry only if the user asks you to.`;
  }
}
