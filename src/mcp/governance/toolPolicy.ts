import { isScope, type Scope } from '../../scopes';
import type { ToolCard } from '../tools/toolCard';
import { SQL_SCOPES_NOTE } from './sqlStatements';
import { areaOf, isToolArea, TOOL_AREAS, TOOL_NAMES, type ToolArea } from './toolAreas';

/** One entry of an enabled/disabled list: a tool name, an area or a scope. */
export type ToolSelector = { kind: 'tool'; name: string } | { kind: 'area'; area: ToolArea } | { kind: 'scope'; scope: Scope };

/** The switches that narrow the tool set, whatever the token's scopes. */
export interface ToolPolicy {
  /** Only `read` tools are listed and callable. */
  readOnly: boolean;
  /** Empty: every tool; else only the tools one of these selects. */
  enabled: readonly ToolSelector[];
  /** Tools any of these selects are off (after `enabled`). */
  disabled: readonly ToolSelector[];
}

export const OPEN_POLICY: ToolPolicy = { readOnly: false, enabled: [], disabled: [] };

/** Why a tool is off, most basic reason first. */
export type ToolOffReason =
  { kind: 'read-only' } | { kind: 'not-enabled' } | { kind: 'disabled'; by: string } | { kind: 'scope'; scope: Scope } | { kind: 'signed-out' };

/** How the switches are named where this server runs (variables standalone, settings in VS Code). */
export interface GovernanceSwitches {
  readOnly: string;
  enabledTools: string;
  disabledTools: string;
  protectedEnvironments: string;
  /** What to tell the user to do after changing one ("restart the server"), or "". */
  afterChange: string;
}

export const STANDALONE_SWITCHES: GovernanceSwitches = {
  readOnly: 'LENSES_READ_ONLY',
  enabledTools: 'LENSES_ENABLED_TOOLS',
  disabledTools: 'LENSES_DISABLED_TOOLS',
  protectedEnvironments: 'LENSES_PROTECTED_ENVIRONMENTS',
  afterChange: ' and restart the Lenses MCP server',
};

export const VSCODE_SWITCHES: GovernanceSwitches = {
  readOnly: 'the "lenses.mcp.readOnly" user setting',
  enabledTools: 'the "lenses.mcp.enabledTools" setting',
  disabledTools: 'the "lenses.mcp.disabledTools" setting',
  protectedEnvironments: 'the "lenses.mcp.protectedEnvironments" setting',
  afterChange: '',
};

/** An enabled/disabled entry that names no tool, area or scope. */
export class UnknownToolSelectorError extends Error {
  override readonly name = 'UnknownToolSelectorError';
  constructor(
    readonly source: string,
    readonly entries: readonly string[],
  ) {
    super(
      `${source} names unknown ${entries.length > 1 ? 'entries' : 'entry'} ${entries.map((e) => `"${e}"`).join(', ')}: use tool names (lenses-mcp --list-tools), areas (${TOOL_AREAS.join(', ')}) or scopes (read, write, delete)`,
    );
  }
}

/** The entries of `list` that are not a tool name, an area or a scope. */
export function unknownToolSelectors(list: readonly string[], names: ReadonlySet<string> = TOOL_NAMES): string[] {
  return cleaned(list).filter((entry) => !names.has(entry) && !isToolArea(entry) && !isScope(entry));
}

/** Parses an enabled/disabled list; throws `UnknownToolSelectorError` naming every unknown entry. */
export function parseToolSelectors(list: readonly string[], source: string, names: ReadonlySet<string> = TOOL_NAMES): ToolSelector[] {
  const unknown = unknownToolSelectors(list, names);
  if (unknown.length > 0) throw new UnknownToolSelectorError(source, unknown);
  return cleaned(list).map(selectorOf);
}

/** Like `parseToolSelectors` but drops unknown entries (the editor warns about them instead of failing). */
export function knownToolSelectors(list: readonly string[], names: ReadonlySet<string> = TOOL_NAMES): ToolSelector[] {
  const unknown = new Set(unknownToolSelectors(list, names));
  return cleaned(list)
    .filter((entry) => !unknown.has(entry))
    .map(selectorOf);
}

function cleaned(list: readonly string[]): string[] {
  return list.map((entry) => entry.trim()).filter(Boolean);
}

function selectorOf(entry: string): ToolSelector {
  if (isScope(entry)) return { kind: 'scope', scope: entry };
  if (isToolArea(entry)) return { kind: 'area', area: entry };
  return { kind: 'tool', name: entry };
}

export function selectorText(selector: ToolSelector): string {
  return selector.kind === 'tool' ? selector.name : selector.kind === 'area' ? selector.area : selector.scope;
}

function selects(selector: ToolSelector, tool: ToolCard, scope: Scope): boolean {
  if (selector.kind === 'tool') return selector.name === tool.name;
  if (selector.kind === 'scope') return selector.scope === scope;
  return areaOf(tool.name) === selector.area;
}

/**
 * Why the policy turns `tool` off, or undefined when it allows it (scopes aside). `scope`: what
 * the call needs, when more than the tool's own (an `execute_sql` that writes or deletes); scope
 * selectors then apply to the call, so read-only mode and a disabled "write" or "delete" refuse it.
 */
export function policyRefusal(tool: ToolCard, policy: ToolPolicy, scope: Scope = tool.scope): ToolOffReason | undefined {
  if (policy.readOnly && scope !== 'read') return { kind: 'read-only' };
  if (policy.enabled.length > 0 && !policy.enabled.some((selector) => selects(selector, tool, scope))) return { kind: 'not-enabled' };
  const disabledBy = policy.disabled.find((selector) => selects(selector, tool, scope));
  if (disabledBy) return { kind: 'disabled', by: selectorText(disabledBy) };
  return undefined;
}

/** Why `tool` is off for a holder of `scopes` under `policy`, or undefined when it is on. */
export function toolOffReason(tool: ToolCard, policy: ToolPolicy, scopes: ReadonlySet<Scope>): ToolOffReason | undefined {
  return policyRefusal(tool, policy) ?? (scopes.has(tool.scope) ? undefined : { kind: 'scope', scope: tool.scope });
}

/** The tool error for a call the policy refuses: what is on, and what the user can change. */
export function policyRefusalMessage(tool: ToolCard, reason: ToolOffReason, switches: GovernanceSwitches, scope: Scope = tool.scope): string {
  const area = areaOf(tool.name);
  // A read tool refused for what this call does (SQL that writes or deletes): say which statements may run.
  const what = scope === tool.scope ? '' : ` this call needs the "${scope}" scope (${SQL_SCOPES_NOTE})`;
  switch (reason.kind) {
    case 'read-only':
      return what
        ? `${tool.name} was not run: read-only mode is on and${what}; nothing was changed. Tell the user; to allow changes they must turn off ${switches.readOnly}${switches.afterChange}.`
        : `${tool.name} was not run: read-only mode is on, so only read tools can be used and nothing was changed. Tell the user; to allow changes they must turn off ${switches.readOnly}${switches.afterChange}.`;
    case 'not-enabled':
      if (what) return `${tool.name} was not run:${what}, and "${scope}" is not among ${switches.enabledTools}. Tell the user; nothing was changed.`;
      return `${tool.name} was not run: it is not among the enabled tools. Tell the user; to allow it they must add "${tool.name}"${area ? ` or "${area}"` : ''} to ${switches.enabledTools}${switches.afterChange}.`;
    case 'disabled':
      if (what)
        return `${tool.name} was not run:${what}, which "${reason.by}" in ${switches.disabledTools} turns off; nothing was changed. Tell the user; to allow it they must remove "${reason.by}" from ${switches.disabledTools}${switches.afterChange}.`;
      return `${tool.name} was not run: it is turned off by "${reason.by}" in ${switches.disabledTools}. Tell the user; to allow it they must remove "${reason.by}" from ${switches.disabledTools}${switches.afterChange}.`;
    case 'scope':
      return `${tool.name} needs the Lenses "${reason.scope}" scope, which this session was not granted.`;
    case 'signed-out':
      return `${tool.name} needs a Lenses sign-in.`;
  }
}

/** One line per reason, for people: "read-only mode is on (LENSES_READ_ONLY)". */
export function offReasonText(reason: ToolOffReason, switches: GovernanceSwitches): string {
  switch (reason.kind) {
    case 'read-only':
      return `read-only mode is on (${switches.readOnly})`;
    case 'not-enabled':
      return `not in ${switches.enabledTools}`;
    case 'disabled':
      return `turned off by "${reason.by}" in ${switches.disabledTools}`;
    case 'scope':
      return `needs the "${reason.scope}" scope, not granted`;
    case 'signed-out':
      return 'signed out of Lenses';
  }
}
