import { fingerprint } from '../../log';
import type { Scope } from '../../scopes';
import type { ToolAccess } from '../toolAccess';
import type { AuditEntry, AuditOutcome } from './auditLog';
import type { DescribedAction } from './toolActions';

export interface AuditedCall {
  tool: { name: string; scope: Scope };
  action: Pick<DescribedAction, 'environment' | 'resource'>;
  access: ToolAccess | undefined;
  outcome: AuditOutcome;
  reason?: string;
  /** When the call arrived and when it ended (epoch ms). */
  started: number;
  ended: number;
}

/** The audit record of one write or delete call: the credential as its fingerprint and whose it is, never itself. */
export function auditRecord(call: AuditedCall): AuditEntry {
  return {
    time: new Date(call.started).toISOString(),
    account: call.access?.kind === 'granted' ? `token:${fingerprint(call.access.token)}` : 'none',
    user: call.access?.kind === 'granted' ? (call.access.user ?? call.access.subject) : undefined,
    tool: call.tool.name,
    scope: call.tool.scope,
    environment: call.action.environment,
    resource: call.action.resource,
    outcome: call.outcome,
    reason: call.reason,
    durationMs: Math.max(0, Math.round(call.ended - call.started)),
  };
}
