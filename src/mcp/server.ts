import type { IncomingMessage } from 'node:http';
import {
  CLIENT_CAPABILITIES_META_KEY,
  ProtocolError,
  ProtocolErrorCode,
  Server,
  SUPPORTED_PROTOCOL_VERSIONS,
  type AuthInfo,
  type CallToolRequest,
  type CallToolResult,
  type ClientCapabilities,
} from '@modelcontextprotocol/server';
import { LensesApiError, LensesClient } from '../lenses';
import { fingerprint, silentLogger, type Logger } from '../log';
import type { Scope } from '../scopes';
import {
  callScope,
  fixedGovernance,
  governanceInstructions,
  governToolCalls,
  policyRefusal,
  SQL_SCOPES_NOTE,
  type Governance,
  type ToolCallExtra,
  type ToolCallHandler,
} from './governance';
import { accessInstructions } from './accessInstructions';
import { attachAppsAndSkills } from './apps';
import { lensesCacheHints, type ToolSetChanges } from './cacheHints';
import { continuesPaging, type HqListCache } from './hqListCache';
import { LENSES_PROMPTS } from './prompts';
import { answerResult, describeToolError, errorResult, isExpectedToolError, type CredentialKind } from './toolResults';
import { catalogOf, lensesToolCatalog, lensesTools } from './toolCatalog';
import type { LensesTool, ToolCard } from './tools/types';
import type { ToolAccess } from './toolAccess';
import { DEFAULT_MAX_TOOL_OUTPUT_CHARS } from './tools/answer';

export type { ToolAccess } from './toolAccess';

/** The server name MCP clients show; VS Code and Cursor prefix tools with it (`mcp_lenses_<tool>`). */
export const SERVER_NAME = 'Lenses';
export const SERVER_VERSION = '0.1.0';
/** The revision without `initialize` (server/discover, a `_meta` envelope on every request); the SDK's list holds the 2025 handshake revisions. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';
/** Every revision the server speaks: the 2025 handshake ones answer `initialize`, the modern one answers server/discover. */
export const PROTOCOL_VERSIONS: readonly string[] = [MODERN_PROTOCOL_VERSION, ...SUPPORTED_PROTOCOL_VERSIONS];

export interface LensesMcpServerOptions {
  /** HQ base URL the tools call. */
  lensesUrl: string;
  fetch?: typeof fetch;
  logger?: Logger;
  /** Timeout of each HQ call (default 30 s). */
  hqTimeoutMs?: number;
  /** Most characters of text per tool answer (`LENSES_MAX_TOOL_OUTPUT_CHARS`; default 24,000); a function is read per call. */
  maxToolOutputChars?: number | (() => number);
  tools?: readonly LensesTool[];
  /** HQ's list answers, shared by the servers of one process so paging does not refetch (default none). */
  hqListCache?: HqListCache;
  /** Access of requests that carry none of their own (stdio). */
  defaultAccess?: ToolAccess;
  /** HQ answered 401 to a call made with `token`. */
  tokenRejected?(token: string): void;
  /** A tool was called while signed out, or HQ rejected the session's token (embedded mode). */
  sessionLost?(reason: string): void;
  /** Whose credential goes to HQ (default a user's session); decides what an HQ 401 tells the model. */
  credential?: CredentialKind;
  /** Read-only mode, tool filters, protected environments, audit trail (default: `tier:production` protected, audit to `logger`). */
  governance?: Governance;
  /** What can change the tool set of one bearer while the server runs (default `runtime`: tools/list is not cacheable). */
  toolSetChanges?: ToolSetChanges;
  /**
   * The authentication of the one request this instance serves (a 2026-07-28 request: one
   * instance each): server/discover then says what that credential may use.
   */
  requestAuth?: AuthInfo;
}

/** What every transport gives its servers alike: the HQ, its limits, governance (built once per process in the standalone server). */
export type ToolServerSettings = Pick<
  LensesMcpServerOptions,
  'lensesUrl' | 'fetch' | 'logger' | 'hqTimeoutMs' | 'maxToolOutputChars' | 'governance' | 'toolSetChanges'
>;

const ACCESS_KEY = 'lensesAccess';

/** Attaches the request's access where the SDK transport hands it to handlers (`req.auth`). */
export function attachAccess(request: IncomingMessage, access: ToolAccess): void {
  const auth: AuthInfo = {
    token: access.kind === 'granted' ? access.token : '',
    clientId: 'lenses',
    scopes: [...access.scopes],
    extra: { [ACCESS_KEY]: access },
  };
  (request as IncomingMessage & { auth?: AuthInfo }).auth = auth;
}

function accessOf(authInfo: AuthInfo | undefined, fallback: ToolAccess | undefined): ToolAccess | undefined {
  const access = authInfo?.extra?.[ACCESS_KEY];
  return isToolAccess(access) ? access : fallback;
}

function isToolAccess(value: unknown): value is ToolAccess {
  return typeof value === 'object' && value !== null && 'kind' in value && 'scopes' in value && (value.kind === 'granted' || value.kind === 'signed-out');
}

/** The capabilities a 2026-07-28 request declares in its envelope (there is no initialize to carry them). */
function envelopeCapabilities(extra: ToolCallExtra): ClientCapabilities | undefined {
  const envelope: Record<string, unknown> = extra.mcpReq.envelope ?? {};
  const capabilities = envelope[CLIENT_CAPABILITIES_META_KEY];
  return typeof capabilities === 'object' && capabilities !== null ? capabilities : undefined;
}

/** Form elicitation declared; an empty `elicitation` object means forms (the specification's default). */
function canElicitForms(capabilities: ClientCapabilities | undefined): boolean {
  const elicitation = capabilities?.elicitation;
  return elicitation !== undefined && (elicitation.form !== undefined || elicitation.url === undefined);
}

/** The tools a holder of `scopes` may see and call. */
export function toolsFor<Card extends ToolCard>(scopes: ReadonlySet<Scope>, tools: readonly Card[]): Card[] {
  return tools.filter((tool) => scopes.has(tool.scope));
}

/**
 * The Lenses MCP server (SDK low-level `Server`): tools listed and callable by the
 * scopes of each request's access, the 10 prompts, progress for execute_sql, the
 * MCP Apps views (`ui://`) and the Kafka skills.
 * One instance per MCP session (or per request when stateless, or for stdio).
 */
export function createLensesMcpServer(options: LensesMcpServerOptions): Server {
  const logger = options.logger ?? silentLogger;
  // Listing needs only the catalog; the tools themselves (bodies, zod schemas) load on the first call.
  const catalog = options.tools ? catalogOf(options.tools) : lensesToolCatalog();
  let byName: ReadonlyMap<string, LensesTool> | undefined;
  const toolNamed = (name: string) => (byName ??= new Map((options.tools ?? lensesTools()).map((tool) => [tool.name, tool]))).get(name);
  const governance = options.governance ?? fixedGovernance(undefined, { logger });
  const server = newLensesServer(options, catalog, governance);
  attachAppsAndSkills(server);

  // The next pages of a walk reuse HQ's list answer; every other call asks HQ (and refreshes it).
  const askHq = options.hqListCache ? options.hqListCache.fetchThrough(options.fetch, { reuse: false }) : options.fetch;
  const nextPage = options.hqListCache ? options.hqListCache.fetchThrough(options.fetch, { reuse: true }) : options.fetch;

  server.setRequestHandler('tools/list', (_request, extra) => {
    const access = accessOf(extra.http?.authInfo, options.defaultAccess);
    return {
      tools: toolsFor(access?.scopes ?? new Set(), catalog)
        .filter((tool) => !policyRefusal(tool, governance.rules().tools))
        .map((tool) => tool.listing),
    };
  });

  // One HQ per credential (RS-25): the client of a call goes to the HQ its credential belongs to,
  // never the server's first URL, for every HQ request of the call; its bearer goes only to that HQ's origin.
  // The next pages of a walk may reuse HQ's list answer; every other call asks HQ.
  const hqClient = (access: GrantedAccess, hqFetch: typeof fetch | undefined = askHq) =>
    new LensesClient({
      baseUrl: access.lensesUrl ?? options.lensesUrl,
      token: () => access.token,
      fetch: hqFetch,
      timeoutMs: options.hqTimeoutMs,
      logger,
    });
  // The era the server negotiated (initialize, or a 2026-07-28 request), never what a request claims (RS-24).
  const isModern = () => server.getNegotiatedProtocolVersion() === MODERN_PROTOCOL_VERSION;

  const governed = (handler: ToolCallHandler) =>
    governToolCalls(
      {
        governance,
        tool: toolNamed,
        access: (extra) => accessOf(extra.http?.authInfo, options.defaultAccess),
        lenses: (access) => hqClient(access),
        isModern,
        clientCanElicit: (extra) =>
          isModern() ? canElicitForms(envelopeCapabilities(extra)) : server.getClientCapabilities()?.elicitation?.form !== undefined,
        elicit: (params, requestOptions) => server.elicitInput(params, requestOptions),
      },
      handler,
    );

  const call: ToolCallDependencies = {
    options,
    logger,
    tool: toolNamed,
    lenses: (access, args) => hqClient(access, continuesPaging(args) ? nextPage : askHq),
  };
  server.setRequestHandler(
    'tools/call',
    governed((request, extra) => callTool(call, request, extra)),
  );
  attachPrompts(server);
  return server;
}

type GrantedAccess = Extract<ToolAccess, { kind: 'granted' }>;

/**
 * The low-level server with its capabilities and instructions. The SDK's serving entries install
 * their own server/discover handler on every instance (it replaces one set here), built from these
 * capabilities and instructions: so what the request's credential may use goes into the
 * instructions, which the client hands to the model.
 */
function newLensesServer(options: LensesMcpServerOptions, tools: readonly ToolCard[], governance: Governance): Server {
  const rules = governance.rules();
  const access = accessOf(options.requestAuth, options.defaultAccess);
  return new Server(
    { name: SERVER_NAME, version: SERVER_VERSION, title: 'Lenses MCP' },
    {
      supportedProtocolVersions: [...PROTOCOL_VERSIONS],
      capabilities: { tools: { listChanged: true }, prompts: {}, logging: {} },
      instructions: [
        'Tools for Lenses (Apache Kafka): environments, topics, datasets, connectors, consumer groups, SQL and SQL processors. Most tools take an "environment": call list_environments first.',
        access ? accessInstructions(access, tools, rules.tools, options.credential) : '',
        governanceInstructions(rules, governance.switches),
      ]
        .filter(Boolean)
        .join(' '),
      cacheHints: lensesCacheHints(options.toolSetChanges ?? 'runtime'),
    },
  );
}

/** What one tools/call needs besides the request: the server's options, its log, its tools, and the HQ client of a credential. */
interface ToolCallDependencies {
  options: LensesMcpServerOptions;
  logger: Logger;
  tool(name: string): LensesTool | undefined;
  /** The HQ client of the credential (RS-25), reusing a list answer when `args` continue a walk. */
  lenses(access: GrantedAccess, args: Record<string, unknown> | undefined): LensesClient;
}

/** Runs one (already governed) tool call: the credential and its scope checked, the tool run, its failure told in one sentence. */
async function callTool(dependencies: ToolCallDependencies, request: CallToolRequest, extra: ToolCallExtra): Promise<CallToolResult> {
  const { options, logger } = dependencies;
  const { name, arguments: args } = request.params;
  const tool = dependencies.tool(name);
  if (!tool) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}`);
  const access = accessOf(extra.http?.authInfo, options.defaultAccess);
  if (!access) return errorResult(`${name} cannot run: this request carries no Lenses credential.`);
  if (access.kind === 'signed-out') {
    if (access.reason !== 'unavailable') options.sessionLost?.(`tool ${name} was called while signed out`);
    return errorResult(access.message);
  }
  const scope = callScope(tool, args ?? {});
  if (!access.scopes.has(scope)) {
    const sql = scope === tool.scope ? '' : ` for what this SQL does (${SQL_SCOPES_NOTE})`;
    return errorResult(`${name} needs the Lenses "${scope}" scope${sql}, which this session was not granted. Sign in again and grant "${scope}".`);
  }
  const token = access.token;
  const lenses = dependencies.lenses(access, args);
  const progressToken = request.params._meta?.progressToken;
  const progress = async (value: number, message?: string) => {
    if (progressToken === undefined) return;
    await extra.mcpReq
      .notify({ method: 'notifications/progress', params: { progressToken, progress: value, ...(message ? { message } : {}) } })
      .catch(() => {});
  };
  const started = Date.now();
  const maxOutputChars =
    (typeof options.maxToolOutputChars === 'function' ? options.maxToolOutputChars() : options.maxToolOutputChars) ?? DEFAULT_MAX_TOOL_OUTPUT_CHARS;
  try {
    const answer = await tool.call(args ?? {}, { lenses, signal: extra.mcpReq.signal, progress, maxOutputChars });
    logger.debug(`Tool ${name} (token ${fingerprint(token)}) succeeded in ${Date.now() - started} ms`);
    return answerResult(answer, maxOutputChars);
  } catch (error) {
    if (error instanceof LensesApiError && error.status === 401) {
      logger.warn(`HQ rejected token ${fingerprint(token)} on ${name}; evicting it`);
      options.tokenRejected?.(token);
    } else if (isExpectedToolError(error)) {
      logger.debug(`Tool ${name} (token ${fingerprint(token)}) failed: ${error.message}`);
    } else {
      // The stack goes to the log only; the model gets one sentence.
      logger.error(`Tool ${name} failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    return errorResult(describeToolError(name, error, options.credential));
  }
}

/** The 10 prompts: listed with their arguments, each filled in on prompts/get. */
function attachPrompts(server: Server): void {
  server.setRequestHandler('prompts/list', () => ({
    prompts: LENSES_PROMPTS.map((prompt) => ({
      name: prompt.name,
      description: prompt.description,
      arguments: prompt.arguments.map((argument) => ({ name: argument, required: true })),
    })),
  }));

  server.setRequestHandler('prompts/get', (request) => {
    const prompt = LENSES_PROMPTS.find((candidate) => candidate.name === request.params.name);
    if (!prompt) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
    const args = request.params.arguments ?? {};
    const missing = prompt.arguments.filter((argument) => !args[argument]);
    if (missing.length > 0) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Prompt ${prompt.name} needs the argument(s): ${missing.join(', ')}`);
    return { description: prompt.description, messages: [{ role: 'user', content: { type: 'text', text: prompt.text(args) } }] };
  });
}
