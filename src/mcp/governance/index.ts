/** Governed agent access: read-only mode, tool filters, protected environments, the audit trail. Plain Node. */
export { AuditLog, fileAuditSink, type AuditEntry, type AuditOutcome, type AuditSink } from './auditLog';
export { auditRecord, type AuditedCall } from './auditRecord';
export { DEFAULT_RULES, fixedGovernance, governanceInstructions, type Governance, type GovernanceRules } from './governance';
export { GOVERNANCE_VARIABLES, GovernanceConfigError, readGovernanceConfig, type GovernanceConfig } from './governanceConfig';
export {
  CONFIRMATION_INPUT,
  CONFIRMATION_TIMEOUT_MS,
  governToolCalls,
  type GovernedCallDependencies,
  type GovernedToolCallHandler,
  type ToolCallExtra,
  type ToolCallHandler,
} from './governedCall';
export {
  DEFAULT_PROTECTED_ENVIRONMENTS,
  EnvironmentTierCache,
  environmentSelectorText,
  invalidEnvironmentSelectors,
  knownEnvironmentSelectors,
  parseEnvironmentSelectors,
  type EnvironmentSelector,
} from './protectedEnvironments';
export { describeAction, type DescribedAction } from './toolActions';
export { callScope, SQL_TOOL } from './callScope';
export {
  CONFIRMATION_STATE_TTL_MS,
  ConfirmationStates,
  MIN_CONFIRMATION_KEY_CHARS,
  processConfirmationStates,
  type ConfirmableCall,
  type ConfirmationStateRefusal,
} from './confirmationState';
export { classifySql, QUERY_SETTINGS, SQL_SCOPES_NOTE, type SqlClassification, type SqlStatement } from './sqlStatements';
export { TOOL_AREAS, areaLabel, areaOf, type ToolArea } from './toolAreas';
export {
  OPEN_POLICY,
  STANDALONE_SWITCHES,
  VSCODE_SWITCHES,
  knownToolSelectors,
  offReasonText,
  parseToolSelectors,
  policyRefusal,
  toolOffReason,
  unknownToolSelectors,
  type GovernanceSwitches,
  type ToolOffReason,
  type ToolPolicy,
  type ToolSelector,
} from './toolPolicy';
export { toolSetReport } from './toolSetReport';
