import { MIN_CONFIRMATION_KEY_CHARS } from './confirmationState';
import type { GovernanceRules } from './governance';
import { DEFAULT_PROTECTED_ENVIRONMENTS, parseEnvironmentSelectors, ProtectedEnvironmentError } from './protectedEnvironments';
import { parseToolSelectors, UnknownToolSelectorError } from './toolPolicy';

/** The standalone server's governance variables, checked. */
export interface GovernanceConfig {
  governance: GovernanceRules;
  /** LENSES_AUDIT_LOG: a file the audit trail is appended to as JSON lines. */
  auditLogPath?: string;
  /** LENSES_CONFIRMATION_KEY: the HMAC key of 2026-07-28 confirmation states, shared by replicas (a secret: never logged). */
  confirmationKey?: string;
}

/** A bad governance variable: the message is the one line the bin prints. */
export class GovernanceConfigError extends Error {
  override readonly name = 'GovernanceConfigError';
}

/** The variables --help lists (appended to the server's own). */
export const GOVERNANCE_VARIABLES = [
  { name: 'LENSES_READ_ONLY', default: 'false', description: 'true: only read tools are listed and callable, whatever the scopes.' },
  {
    name: 'LENSES_ENABLED_TOOLS',
    default: '(all)',
    description:
      'Comma list of tools, areas (environments, topics, datasets, connectors, consumer_groups, sql, sql_processors, approvals) or scopes (read, write, delete) to offer; others are off.',
  },
  { name: 'LENSES_DISABLED_TOOLS', default: '(none)', description: 'Comma list of tools, areas or scopes to turn off (applied after LENSES_ENABLED_TOOLS).' },
  {
    name: 'LENSES_PROTECTED_ENVIRONMENTS',
    default: 'tier:production',
    description:
      'Comma list of environment names and/or tier:<tier>; writes and deletes there run only after the user confirms in the client (MCP elicitation). Empty ("") protects none.',
  },
  {
    name: 'LENSES_AUDIT_LOG',
    default: '(none)',
    description: 'File to append one JSON line per write or delete call to (outcome, tool, environment; never a token or payload).',
  },
  {
    name: 'LENSES_CONFIRMATION_KEY',
    default: '(random per process)',
    description: `Secret of at least ${MIN_CONFIRMATION_KEY_CHARS} characters that signs the confirmations 2026-07-28 clients answer; set the same one on every replica behind a load balancer.`,
  },
] as const;

/** Reads the governance variables; throws `GovernanceConfigError` naming the first bad one. */
export function readGovernanceConfig(env: Readonly<Record<string, string | undefined>>): GovernanceConfig {
  const list = (name: string) => (env[name] ?? '').split(',');
  try {
    const protectedRaw = env.LENSES_PROTECTED_ENVIRONMENTS;
    return {
      governance: {
        tools: {
          readOnly: flag('LENSES_READ_ONLY', env.LENSES_READ_ONLY?.trim()),
          enabled: parseToolSelectors(list('LENSES_ENABLED_TOOLS'), 'LENSES_ENABLED_TOOLS'),
          disabled: parseToolSelectors(list('LENSES_DISABLED_TOOLS'), 'LENSES_DISABLED_TOOLS'),
        },
        // Unset: the default; set to "" (or only commas): no environment is protected.
        protectedEnvironments:
          protectedRaw === undefined ? DEFAULT_PROTECTED_ENVIRONMENTS : parseEnvironmentSelectors(protectedRaw.split(','), 'LENSES_PROTECTED_ENVIRONMENTS'),
      },
      auditLogPath: env.LENSES_AUDIT_LOG?.trim() || undefined,
      confirmationKey: confirmationKey(env.LENSES_CONFIRMATION_KEY),
    };
  } catch (error) {
    if (error instanceof UnknownToolSelectorError || error instanceof ProtectedEnvironmentError) throw new GovernanceConfigError(error.message);
    throw error;
  }
}

function confirmationKey(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  // The value is a secret: the error names its length, never the value.
  if (raw.length < MIN_CONFIRMATION_KEY_CHARS) {
    throw new GovernanceConfigError(
      `LENSES_CONFIRMATION_KEY must have at least ${MIN_CONFIRMATION_KEY_CHARS} characters (it has ${raw.length}): use e.g. openssl rand -base64 32`,
    );
  }
  return raw;
}

function flag(name: string, raw: string | undefined): boolean {
  if (!raw) return false;
  const lower = raw.toLowerCase();
  if (['true', '1', 'yes'].includes(lower)) return true;
  if (['false', '0', 'no'].includes(lower)) return false;
  throw new GovernanceConfigError(`${name} must be true/1/yes or false/0/no, not "${raw}"`);
}
