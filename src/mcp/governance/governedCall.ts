import {
  inputRequired,
  type CallToolRequest,
  type CallToolResult,
  type ElicitRequestFormParams,
  type ElicitResult,
  type InputRequiredResult,
  type RequestOptions,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { path, type LensesClient } from '../../lenses';
import type { ToolAccess } from '../toolAccess';
import { errorResult } from '../toolResults';
import type { LensesTool } from '../tools';
import type { AuditOutcome } from './auditLog';
import { auditRecord } from './auditRecord';
import { callScope } from './callScope';
import { confirmationRequest, confirmationVerdict, notConfirmedMessage } from './confirmation';
import { processConfirmationStates } from './confirmationState';
import type { Governance } from './governance';
import { needsTier, protectionReason } from './protectedEnvironments';
import { describeAction, type DescribedAction } from './toolActions';
import { policyRefusal, policyRefusalMessage } from './toolPolicy';
import { isRecord } from '../../records';

export type ToolCallExtra = ServerContext;
export type ToolCallHandler = (request: CallToolRequest, extra: ToolCallExtra) => Promise<CallToolResult>;
/** A governed call may first answer a 2026-07-28 client with the confirmation to ask (`input_required`). */
export type GovernedToolCallHandler = (request: CallToolRequest, extra: ToolCallExtra) => Promise<CallToolResult | InputRequiredResult>;

/** The key of the confirmation in a 2026-07-28 `input_required` result and in the retried call's `inputResponses`. */
export const CONFIRMATION_INPUT = 'lenses_confirmation';

/** How long the user has to answer a confirmation (people read, then type a name). */
export const CONFIRMATION_TIMEOUT_MS = 10 * 60_000;

export interface GovernedCallDependencies {
  governance: Governance;
  tool(name: string): LensesTool | undefined;
  access(extra: ToolCallExtra): ToolAccess | undefined;
  /** The HQ client of the request's own credential, at that credential's HQ (to read an environment's tier). */
  lenses(access: Extract<ToolAccess, { kind: 'granted' }>): Pick<LensesClient, 'get' | 'baseUrl'>;
  /** Whether the client declared form elicitation (on the session, or in a 2026-07-28 request's envelope). */
  clientCanElicit(extra: ToolCallExtra): boolean;
  /**
   * Whether the request belongs to a 2026-07-28 exchange, by the protocol the server negotiated
   * (never by what the request carries): only then are `inputResponses` read.
   */
  isModern(extra: ToolCallExtra): boolean;
  /** Sends `elicitation/create` to the client (the SDK server's `elicitInput`). */
  elicit(params: ElicitRequestFormParams, options: RequestOptions): Promise<ElicitResult>;
  now?: () => number;
}

/**
 * Wraps the tools/call handler with the governance rules, in this order: read-only mode and
 * the tool filters (refused with what to change); then, for a valid write or delete call
 * with the needed scope on a protected environment, the user's confirmation through
 * `elicitation/create` (RS-20: declined, cancelled, unanswered or impossible → the handler
 * never runs). A 2026-07-28 client is asked through an `input_required` result instead, and its
 * retried call carries the answer. Every write or delete call that ends leaves one audit record
 * (for a 2026-07-28 client, the request that is answered with the question is one: `asked`).
 * `execute_sql` counts as a write or delete call when its statements write or delete (RS-23).
 * A 2026-07-28 answer counts only with the signed `requestState` of the question this server
 * asked for this very call, unexpired and unused; anything else is asked again and audited as
 * `refused` (`forged`, `replayed`, `expired`) (RS-24).
 */
export function governToolCalls(dependencies: GovernedCallDependencies, handler: ToolCallHandler): GovernedToolCallHandler {
  const now = dependencies.now ?? Date.now;
  const { governance } = dependencies;
  return async (request, extra) => {
    const tool = dependencies.tool(request.params.name);
    if (!tool) return handler(request, extra);
    const started = now();
    const rules = governance.rules();
    const rawArgs = request.params.arguments ?? {};
    const scope = callScope(tool, rawArgs);
    const refusal = policyRefusal(tool, rules.tools, scope);
    // Reads are neither confirmed nor audited: only the switches apply.
    if (scope === 'read') return refusal ? errorResult(policyRefusalMessage(tool, refusal, governance.switches)) : handler(request, extra);
    const parsed = tool.inputSchema.safeParse(rawArgs);
    const action = describeAction(tool, parsed.success && isRecord(parsed.data) ? parsed.data : rawArgs);
    const access = dependencies.access(extra);
    const record = (outcome: AuditOutcome, reason?: string) =>
      governance.audit.record(auditRecord({ tool: { name: tool.name, scope }, action, access, outcome, reason, started, ended: now() }));
    const run = async (confirmed: boolean) => {
      let result: CallToolResult;
      try {
        result = await handler(request, extra);
      } catch (error) {
        record('failed', 'error');
        throw error;
      }
      record(result.isError ? 'failed' : 'run', confirmed ? 'confirmed' : undefined);
      return result;
    };

    if (refusal) {
      record('refused', refusal.kind);
      return errorResult(policyRefusalMessage(tool, refusal, governance.switches, scope));
    }
    if (access?.kind !== 'granted' || !access.scopes.has(scope)) {
      // The handler explains (sign in, scope not granted); nothing reaches HQ.
      const result = await handler(request, extra);
      record(result.isError ? 'refused' : 'run', access?.kind === 'granted' ? 'scope' : 'no-credential');
      return result;
    }
    // Bad arguments fail in the handler before any HQ call: do not ask the user about a call that cannot run.
    if (tool.validate(rawArgs) !== undefined || action.environment === undefined) return run(false);

    let because: string | undefined;
    try {
      because = await protection(dependencies, action.environment, action, access, extra.mcpReq.signal);
    } catch (error) {
      record('refused', 'tier-unknown');
      return errorResult(
        `${action.sentence}: not done, nothing was changed. ${tool.name} may need the user's confirmation, but the tier of environment "${action.environment}" could not be read from Lenses (${error instanceof Error ? error.message : String(error)}). Check the name with list_environments, then retry.`,
      );
    }
    if (because === undefined) return run(false);

    if (!dependencies.clientCanElicit(extra)) {
      record('refused', 'no-elicitation');
      return errorResult(
        `${action.sentence}: not done, nothing was changed. ${because}: ${tool.name} runs there only after the user confirms it, and this MCP client cannot ask (it did not declare the "elicitation" capability). Tell the user; to allow it, they can use an MCP client that supports elicitation (such as VS Code) over stdio or stateful HTTP, or remove the environment from ${governance.switches.protectedEnvironments}${governance.switches.afterChange}.`,
      );
    }
    const question = confirmationRequest(action, scope, because);
    let answer: ElicitResult;
    if (dependencies.isModern(extra)) {
      const call = { tool: tool.name, arguments: rawArgs, token: access.token };
      const modern = modernAnswer(governance, call, question, extra);
      if (modern.ask) {
        // This request ends here; a client that never retries still leaves the attempt in the trail.
        record(modern.ask.outcome, modern.ask.reason);
        return modern.ask.result;
      }
      answer = modern.answer;
    } else {
      try {
        answer = await dependencies.elicit(question, { relatedRequestId: extra.mcpReq.id, signal: extra.mcpReq.signal, timeout: CONFIRMATION_TIMEOUT_MS });
      } catch {
        record('declined', 'no-answer');
        return errorResult(notConfirmedMessage(tool.name, action, 'no-answer'));
      }
    }
    const verdict = confirmationVerdict(answer, action, scope);
    if (verdict !== 'confirmed') {
      record('declined', verdict);
      return errorResult(notConfirmedMessage(tool.name, action, verdict));
    }
    return run(true);
  };
}

/** Why the environment is protected, or undefined. Throws when its tier is needed but HQ cannot say. */
async function protection(
  dependencies: Pick<GovernedCallDependencies, 'governance' | 'lenses'>,
  environment: string,
  action: DescribedAction,
  access: Extract<ToolAccess, { kind: 'granted' }>,
  signal: AbortSignal,
): Promise<string | undefined> {
  const { governance } = dependencies;
  const selectors = governance.rules().protectedEnvironments;
  if (!needsTier(environment, selectors)) return protectionReason(environment, undefined, selectors);
  // The credential's own HQ is asked (RS-25): another HQ's answer never decides this one's protection.
  const lenses = dependencies.lenses(access);
  const tier =
    action.statedTier ?? (await governance.tiers.tierOf(lenses.baseUrl, environment, () => lenses.get(path`/api/v1/environments/${environment}`, { signal })));
  // An environment HQ gives no tier for is treated as protected: fail closed.
  if (tier === undefined) return `The tier of ${environment} is unknown, so it is treated as a protected environment`;
  return protectionReason(environment, tier, selectors);
}

type ModernAnswer = { answer: ElicitResult; ask?: undefined } | { ask: { outcome: AuditOutcome; reason: string; result: InputRequiredResult } };

/**
 * A 2026-07-28 client's answer to the confirmation. That revision has no server-to-client request:
 * the question goes back as input_required with a signed state, and the retried call (same
 * arguments, checked again by the caller) carries the answer; one to no question of ours (none
 * asked, another call's, used, expired) is asked again.
 */
function modernAnswer(
  governance: Governance,
  call: { tool: string; arguments: Record<string, unknown>; token: string },
  question: ElicitRequestFormParams,
  extra: ToolCallExtra,
): ModernAnswer {
  const confirmations = governance.confirmations ?? processConfirmationStates();
  const ask = (outcome: AuditOutcome, reason: string): ModernAnswer => ({
    ask: {
      outcome,
      reason,
      result: inputRequired({ inputRequests: { [CONFIRMATION_INPUT]: inputRequired.elicit(question) }, requestState: confirmations.issue(call) }),
    },
  });
  const answered = extra.mcpReq.inputResponses?.[CONFIRMATION_INPUT];
  if (answered === undefined) return ask('asked', 'input-required');
  const unaskedBecause = confirmations.take(extra.mcpReq.requestState(), call);
  if (unaskedBecause !== undefined) return ask('refused', unaskedBecause);
  return { answer: isElicitResult(answered) ? answered : { action: 'cancel' } };
}

function isElicitResult(value: unknown): value is ElicitResult {
  return (
    isRecord(value) &&
    (value.action === 'accept' || value.action === 'decline' || value.action === 'cancel') &&
    (value.content === undefined || isRecord(value.content))
  );
}
