// The governance modules one by one, not their index: the index also brings the governed call
// and with it the MCP SDK, which the extension loads only with the server (mcpServerLoader.ts).
import { AuditLog } from '../../mcp/governance/auditLog';
import type { Governance, GovernanceRules } from '../../mcp/governance/governance';
import { EnvironmentTierCache, invalidEnvironmentSelectors, knownEnvironmentSelectors } from '../../mcp/governance/protectedEnvironments';
import { knownToolSelectors, unknownToolSelectors, VSCODE_SWITCHES } from '../../mcp/governance/toolPolicy';
import type { Logger } from '../../log';
import type { UserMessage } from '../userMessages';

export const GOVERNANCE_SETTING = {
  readOnly: 'lenses.mcp.readOnly',
  enabledTools: 'lenses.mcp.enabledTools',
  disabledTools: 'lenses.mcp.disabledTools',
  protectedEnvironments: 'lenses.mcp.protectedEnvironments',
} as const;

/** The part of `WorkspaceConfiguration.inspect` used here. */
export interface ConfigurationInspector {
  inspect<T>(section: string): { defaultValue?: T; globalValue?: T; workspaceValue?: T; workspaceFolderValue?: T } | undefined;
}

/** The governance settings as they apply (see `readGovernanceSettings`). */
export interface GovernanceSettingValues {
  readOnly: boolean;
  enabledTools: string[];
  disabledTools: string[];
  protectedEnvironments: string[];
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/**
 * Reads the governance settings so that a workspace (a cloned repository) can only add
 * protection: `readOnly` and `enabledTools` come from user settings alone; the disabled tools
 * and protected environments of the workspace are added to the user's, never replace them.
 */
export function readGovernanceSettings(config: ConfigurationInspector): GovernanceSettingValues {
  const userOnly = <T>(section: string): T | undefined => {
    const inspected = config.inspect<T>(section);
    return inspected?.globalValue ?? inspected?.defaultValue;
  };
  const added = (section: string): string[] => {
    const inspected = config.inspect<string[]>(section);
    const base = strings(inspected?.globalValue ?? inspected?.defaultValue);
    return [...new Set([...base, ...strings(inspected?.workspaceValue), ...strings(inspected?.workspaceFolderValue)])];
  };
  return {
    readOnly: userOnly<boolean>(GOVERNANCE_SETTING.readOnly) === true,
    enabledTools: strings(userOnly<string[]>(GOVERNANCE_SETTING.enabledTools)),
    disabledTools: added(GOVERNANCE_SETTING.disabledTools),
    protectedEnvironments: added(GOVERNANCE_SETTING.protectedEnvironments),
  };
}

/** The rules of the settings (unknown entries left out) and one warning per setting with unknown entries. */
export function governanceRulesOf(values: GovernanceSettingValues): { rules: GovernanceRules; warnings: UserMessage[] } {
  const warnings: UserMessage[] = [];
  const warnUnknown = (setting: string, unknown: string[], what: string) => {
    if (unknown.length === 0) return;
    const names = unknown.map((entry) => `"${entry}"`).join(', ');
    warnings.push({
      text: `The "${setting}" setting names ${names}, which ${unknown.length > 1 ? 'are' : 'is'} not ${what}; ${unknown.length > 1 ? 'they are' : 'it is'} ignored.`,
      actions: ['openSettings'],
      setting,
    });
  };
  warnUnknown(GOVERNANCE_SETTING.enabledTools, unknownToolSelectors(values.enabledTools), 'a Lenses tool, area or scope');
  warnUnknown(GOVERNANCE_SETTING.disabledTools, unknownToolSelectors(values.disabledTools), 'a Lenses tool, area or scope');
  warnUnknown(
    GOVERNANCE_SETTING.protectedEnvironments,
    invalidEnvironmentSelectors(values.protectedEnvironments),
    'an environment name or tier:development/staging/production',
  );
  const enabled = knownToolSelectors(values.enabledTools);
  return {
    rules: {
      // An enabled list whose every entry is unknown would turn every tool off: treat it as unset.
      tools: { readOnly: values.readOnly, enabled, disabled: knownToolSelectors(values.disabledTools) },
      protectedEnvironments: knownEnvironmentSelectors(values.protectedEnvironments),
    },
    warnings,
  };
}

/**
 * The embedded server's governance: rules from the settings (re-read by `reload` when they
 * change), named as settings in messages, audit lines in the Lenses log.
 */
export class EditorGovernance {
  private current: GovernanceRules;
  readonly governance: Governance;

  constructor(
    private readonly configuration: () => ConfigurationInspector,
    logger: Logger,
  ) {
    this.current = governanceRulesOf(readGovernanceSettings(configuration())).rules;
    this.governance = { rules: () => this.current, switches: VSCODE_SWITCHES, audit: new AuditLog(logger), tiers: new EnvironmentTierCache() };
  }

  get rules(): GovernanceRules {
    return this.current;
  }

  /** Reads the settings again; returns the warnings to show (unknown names). */
  reload(): UserMessage[] {
    const { rules, warnings } = governanceRulesOf(readGovernanceSettings(this.configuration()));
    this.current = rules;
    return warnings;
  }
}

/** Whether a configuration change touches the governance settings. */
export function affectsGovernance(affects: (section: string) => boolean): boolean {
  return Object.values(GOVERNANCE_SETTING).some((section) => affects(section));
}
