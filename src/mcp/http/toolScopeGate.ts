import type { ServerResponse } from 'node:http';
import { fingerprint, type Logger } from '../../log';
import type { RequestAuthenticator } from '../auth/authentication';
import { auditRecord, callScope, describeAction, policyRefusal, type Governance } from '../governance';
import type { Scope } from '../../scopes';
import { calledTools } from './httpGuards';
import { sendError } from './httpResponses';
import type { ToolAccess } from '../toolAccess';
import { lensesToolCatalog } from '../toolCatalog';
import type { ToolCard } from '../tools/toolCard';

/** The insufficient_scope challenge for a tools/call whose tool needs a scope the request lacks. */
export class ToolScopeGate {
  private readonly tools = new Map<string, ToolCard>(lensesToolCatalog().map((tool) => [tool.name, tool]));

  constructor(
    private readonly authenticator: RequestAuthenticator,
    private readonly governance: Governance,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the body may go on; false when it was answered with the authenticator's challenge. */
  admits(body: unknown, access: ToolAccess, response: ServerResponse): boolean {
    for (const call of calledTools(body)) {
      const tool = this.tools.get(call.name);
      if (!tool) continue;
      // What the call needs: an execute_sql that writes or deletes needs that scope (RS-23).
      const scope = callScope(tool, call.arguments);
      if (access.scopes.has(scope) || !this.authenticator.insufficientScope || this.offByPolicy(tool, scope)) continue;
      const refusal = this.authenticator.insufficientScope(access.scopes, scope);
      this.logger.info(`Refused ${call.name}: needs "${scope}"${access.kind === 'granted' ? ` (token ${fingerprint(access.token)})` : ''}`);
      // Refused before any server sees it: the audit trail would otherwise miss this write or delete call.
      if (scope !== 'read') this.audit(tool, scope, call.arguments, access);
      sendError(response, refusal.status, refusal.message, refusal.headers);
      return false;
    }
    return true;
  }

  private audit(tool: ToolCard, scope: Scope, args: Record<string, unknown>, access: ToolAccess): void {
    const now = this.now();
    this.governance.audit.record(
      auditRecord({
        tool: { name: tool.name, scope },
        action: describeAction(tool, args),
        access,
        outcome: 'refused',
        reason: 'scope',
        started: now,
        ended: now,
      }),
    );
  }

  /** A call the governance rules turn off gets a tool error saying so, not a scope challenge a step-up cannot satisfy. */
  private offByPolicy(tool: ToolCard, scope: Scope): boolean {
    return policyRefusal(tool, this.governance.rules().tools, scope) !== undefined;
  }
}
