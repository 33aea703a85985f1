import type { Scope } from '../../scopes';
import { lensesToolCatalog } from '../toolCatalog';
import type { ToolCard } from '../tools/toolCard';
import type { GovernanceRules } from './governance';
import { environmentSelectorText } from './protectedEnvironments';
import { areaOf } from './toolAreas';
import { offReasonText, STANDALONE_SWITCHES, toolOffReason, type GovernanceSwitches } from './toolPolicy';

/**
 * `lenses-mcp --list-tools`: every tool, on or off, with the reason each one off is off.
 * `scopes`: what the credential holds (API-key mode: all three; OAuth mode: each token's own).
 */
export function toolSetReport(
  rules: GovernanceRules,
  scopes: ReadonlySet<Scope>,
  options: { scopesNote?: string; switches?: GovernanceSwitches; tools?: readonly ToolCard[] } = {},
): string {
  const switches = options.switches ?? STANDALONE_SWITCHES;
  const tools = options.tools ?? lensesToolCatalog();
  const rows = tools.map((tool) => {
    const reason = toolOffReason(tool, rules.tools, scopes);
    return { tool, reason: reason ? offReasonText(reason, switches) : undefined };
  });
  const on = rows.filter((row) => !row.reason).length;
  const nameWidth = Math.max(...tools.map((tool) => tool.name.length));
  const protectedText = rules.protectedEnvironments.length > 0 ? rules.protectedEnvironments.map(environmentSelectorText).join(', ') : 'none';
  return [
    `${on} of ${tools.length} tools on${options.scopesNote ? ` (${options.scopesNote})` : ''}. Read-only mode: ${rules.tools.readOnly ? 'on' : 'off'}. Protected environments (writes and deletes need the user's confirmation): ${protectedText}.`,
    '',
    ...rows.map(({ tool, reason }) =>
      `${reason ? 'off' : 'on '}  ${tool.name.padEnd(nameWidth)}  ${tool.scope.padEnd(6)}  ${(areaOf(tool.name) ?? '-').padEnd(15)}${reason ? `  ${reason}` : ''}`.trimEnd(),
    ),
  ].join('\n');
}
