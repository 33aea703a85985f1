import type { ServerResponse } from 'node:http';
import { fingerprint, type Logger } from '../log';
import type { Scope } from '../scopes';
import type { RequestAuthenticator } from './authentication';
import { policyRefusal, type Governance } from './governance';
import { calledToolNames } from './httpGuards';
import { sendError } from './httpResponses';
import type { ToolAccess } from './toolAccess';
import { LENSES_TOOLS } from './tools';

/** The insufficient_scope challenge for a tools/call whose tool needs a scope the request lacks. */
export class ToolScopeGate {
  private readonly toolScopes = new Map<string, Scope>(LENSES_TOOLS.map((tool) => [tool.name, tool.scope]));

  constructor(
    private readonly authenticator: RequestAuthenticator,
    private readonly governance: Governance,
    private readonly logger: Logger,
  ) {}

  /** True when the body may go on; false when it was answered with the authenticator's challenge. */
  admits(body: unknown, access: ToolAccess, response: ServerResponse): boolean {
    for (const name of calledToolNames(body)) {
      const needed = this.toolScopes.get(name);
      if (needed && !access.scopes.has(needed) && this.authenticator.insufficientScope && !this.offByPolicy(name)) {
        const refusal = this.authenticator.insufficientScope(access.scopes, needed);
        this.logger.info(`Refused ${name}: needs "${needed}"${access.kind === 'granted' ? ` (token ${fingerprint(access.token)})` : ''}`);
        sendError(response, refusal.status, refusal.message, refusal.headers);
        return false;
      }
    }
    return true;
  }

  /** A tool the governance rules turn off gets a tool error saying so, not a scope challenge a step-up cannot satisfy. */
  private offByPolicy(name: string): boolean {
    return LENSES_TOOLS.some((tool) => tool.name === name && policyRefusal(tool, this.governance.rules().tools) !== undefined);
  }
}
