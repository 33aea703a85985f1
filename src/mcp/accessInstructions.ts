import { ALL_SCOPES } from '../scopes';
import { policyRefusal, type ToolPolicy } from './governance';
import type { ToolAccess } from './toolAccess';
import type { CredentialKind } from './toolResults';
import type { ToolCard } from './tools/toolCard';

/** Tool names named per scope not granted; the count says the rest. */
const NAMED_TOOLS = 3;

/**
 * The sentence of the server's `instructions` that says what one credential may use: the scopes
 * granted and not, and how many tools it can call (exactly the tools/list answer). A 2026-07-28
 * client reads it from server/discover (there is no initialize) and gives it to the model.
 */
export function accessInstructions(access: ToolAccess, tools: readonly ToolCard[], policy: ToolPolicy, credential: CredentialKind = 'session'): string {
  const allowed = tools.filter((tool) => !policyRefusal(tool, policy));
  const callable = allowed.filter((tool) => access.scopes.has(tool.scope));
  if (access.kind === 'signed-out') {
    const listed = `${callable.length} ${plural(callable.length, 'tool is', 'tools are')} listed, but none can run`;
    if (access.reason === 'unavailable') return `${access.message} Until then ${listed}.`;
    return `Signed out of Lenses: ${listed} until the user signs in to Lenses in the editor (the "Lenses: Sign In" command); then the tools list changes to what the sign-in grants.`;
  }
  const held = ALL_SCOPES.filter((scope) => access.scopes.has(scope));
  const sentences = [
    `This credential holds the Lenses ${plural(held.length, 'scope', 'scopes')} ${held.length > 0 ? words(held) : 'none'}: ${callable.length} of the ${tools.length} tools are available to it.`,
  ];
  const missing = ALL_SCOPES.filter((scope) => !access.scopes.has(scope));
  const hidden = missing
    .map((scope) => ({ scope, names: allowed.filter((tool) => tool.scope === scope).map((tool) => tool.name) }))
    .filter(({ names }) => names.length > 0);
  if (hidden.length > 0) {
    const parts = hidden.map(({ scope, names }) => `"${scope}" (${names.length} ${plural(names.length, 'tool', 'tools')}: ${named(names)})`);
    const remedy =
      credential === 'api-key'
        ? `this server's API-key access does not include ${plural(hidden.length, 'it', 'them')}`
        : `to use them, sign in again and grant ${words(hidden.map(({ scope }) => `"${scope}"`))}`;
    sentences.push(`Not granted: ${words(parts)}, so those tools are not listed; ${remedy}.`);
  }
  const off = tools.length - allowed.length;
  if (off > 0) sentences.push(`${off} more ${plural(off, 'tool is', 'tools are')} turned off by this server's rules.`);
  return sentences.join(' ');
}

function named(names: readonly string[]): string {
  return names.length <= NAMED_TOOLS ? names.join(', ') : `${names.slice(0, NAMED_TOOLS).join(', ')}, …`;
}

function words(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}
