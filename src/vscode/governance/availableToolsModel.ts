// The governance modules one by one: the index brings the MCP SDK (see governanceSettings.ts).
import type { GovernanceRules } from '../../mcp/governance/governance';
import { environmentSelectorText } from '../../mcp/governance/protectedEnvironments';
import { areaLabel, areaOf, TOOL_AREAS } from '../../mcp/governance/toolAreas';
import { offReasonText, policyRefusal, VSCODE_SWITCHES, type ToolOffReason } from '../../mcp/governance/toolPolicy';
import type { ToolCard } from '../../mcp/tools/toolCard';
import type { Scope } from '../../scopes';
import { GOVERNANCE_SETTING } from './governanceSettings';
import { lensesToolCards } from '../mcp/mcpServerLoader';

/** What would turn a tool on. */
export type ToolFix =
  | { kind: 'openSettings'; setting: string; label: 'Open Settings' }
  | { kind: 'changeScopes'; scope: Scope; label: 'Change Granted Scopes…' }
  | { kind: 'signIn'; label: 'Sign In' };

export interface AvailableTool {
  name: string;
  title: string;
  scope: Scope;
  /** undefined: the tool is on. */
  off?: { reason: string; fix: ToolFix };
}

export interface AvailableToolArea {
  label: string;
  tools: AvailableTool[];
}

export interface AvailableTools {
  /** "40 of 45 tools on · read-only mode off · protected: tier:production" */
  summary: string;
  areas: AvailableToolArea[];
}

function fixFor(reason: ToolOffReason): ToolFix {
  switch (reason.kind) {
    case 'read-only':
      return { kind: 'openSettings', setting: GOVERNANCE_SETTING.readOnly, label: 'Open Settings' };
    case 'not-enabled':
      return { kind: 'openSettings', setting: GOVERNANCE_SETTING.enabledTools, label: 'Open Settings' };
    case 'disabled':
      return { kind: 'openSettings', setting: GOVERNANCE_SETTING.disabledTools, label: 'Open Settings' };
    case 'scope':
      return { kind: 'changeScopes', scope: reason.scope, label: 'Change Granted Scopes…' };
    case 'signed-out':
      return { kind: 'signIn', label: 'Sign In' };
  }
}

/**
 * "Lenses: Show Available Tools": every tool by area, and for each one off why (read-only,
 * a filter, signed out, a scope not granted) and what would turn it on. The settings come
 * first: they hold whatever the session.
 * `granted`: the session's scopes, undefined when signed out.
 */
export function availableTools(rules: GovernanceRules, granted: readonly Scope[] | undefined, tools: readonly ToolCard[] = lensesToolCards()): AvailableTools {
  const held = new Set(granted ?? []);
  const describe = (tool: ToolCard): AvailableTool => {
    const reason: ToolOffReason | undefined =
      policyRefusal(tool, rules.tools) ??
      (granted === undefined ? { kind: 'signed-out' } : held.has(tool.scope) ? undefined : { kind: 'scope', scope: tool.scope });
    return {
      name: tool.name,
      title: tool.title,
      scope: tool.scope,
      ...(reason ? { off: { reason: offReasonText(reason, VSCODE_SWITCHES), fix: fixFor(reason) } } : {}),
    };
  };
  const areas = TOOL_AREAS.map((area) => ({ label: areaLabel(area), tools: tools.filter((tool) => areaOf(tool.name) === area).map(describe) })).filter(
    (area) => area.tools.length > 0,
  );
  const on = areas.reduce((count, area) => count + area.tools.filter((tool) => !tool.off).length, 0);
  const protectedText = rules.protectedEnvironments.length > 0 ? rules.protectedEnvironments.map(environmentSelectorText).join(', ') : 'none';
  return {
    summary: `${on} of ${tools.length} tools on · read-only mode ${rules.tools.readOnly ? 'on' : 'off'} · protected environments: ${protectedText}`,
    areas,
  };
}
