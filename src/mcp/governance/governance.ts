import type { Logger } from '../../log';
import { AuditLog } from './auditLog';
import { ConfirmationStates } from './confirmationState';
import { DEFAULT_PROTECTED_ENVIRONMENTS, EnvironmentTierCache, environmentSelectorText, type EnvironmentSelector } from './protectedEnvironments';
import { OPEN_POLICY, STANDALONE_SWITCHES, type GovernanceSwitches, type ToolPolicy } from './toolPolicy';

/** The switches in force for one call (the editor's settings can change between calls). */
export interface GovernanceRules {
  tools: ToolPolicy;
  protectedEnvironments: readonly EnvironmentSelector[];
}

/**
 * Everything the server needs to govern agent access: the current rules, how they are
 * named to the user, the audit trail and the cache of environment tiers. One per process
 * (shared by every MCP session).
 */
export interface Governance {
  rules(): GovernanceRules;
  switches: GovernanceSwitches;
  audit: AuditLog;
  tiers: EnvironmentTierCache;
  /** Signs and checks 2026-07-28 confirmation states (default: the process's own, random key). */
  confirmations?: ConfirmationStates;
}

export const DEFAULT_RULES: GovernanceRules = { tools: OPEN_POLICY, protectedEnvironments: DEFAULT_PROTECTED_ENVIRONMENTS };

/** Governance with fixed rules (the standalone server; the defaults when nothing is configured). */
export function fixedGovernance(
  rules: GovernanceRules = DEFAULT_RULES,
  options: { logger?: Logger; audit?: AuditLog; switches?: GovernanceSwitches; confirmations?: ConfirmationStates } = {},
): Governance {
  return {
    rules: () => rules,
    switches: options.switches ?? STANDALONE_SWITCHES,
    audit: options.audit ?? new AuditLog(options.logger),
    tiers: new EnvironmentTierCache(),
    confirmations: options.confirmations ?? new ConfirmationStates(),
  };
}

/** The part of the server's `instructions` that says which switches are on, so the model can say why it cannot act. */
export function governanceInstructions(rules: GovernanceRules, switches: GovernanceSwitches): string {
  const lines: string[] = [];
  if (rules.tools.readOnly) {
    lines.push(
      `Read-only mode is on (${switches.readOnly}): only read tools are available, and execute_sql runs only reading statements (SELECT, SHOW, DESCRIBE, EXPLAIN, SET of a query setting); say so when asked to change something.`,
    );
  }
  if (rules.tools.enabled.length > 0 || rules.tools.disabled.length > 0) {
    lines.push(`Some tools are turned off by ${switches.enabledTools} / ${switches.disabledTools}; only the listed tools are available.`);
  }
  if (rules.protectedEnvironments.length > 0) {
    const which = rules.protectedEnvironments.map(environmentSelectorText).join(', ');
    lines.push(
      `Writes and deletes on protected environments (${which}) first ask the user to confirm in the client; if the user declines, do not retry or work around it.`,
    );
  }
  return lines.join(' ');
}
