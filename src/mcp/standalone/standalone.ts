import type { Readable, Writable } from 'node:stream';
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { Logger } from '../../log';
import { ALL_SCOPES } from '../../scopes';
import { ApiKeyAuthenticator } from '../auth/apiKeyAuthenticator';
import type { RequestAuthenticator } from '../auth/authentication';
import type { ServerConfig } from './config';
import type * as HttpServerModule from '../http/httpServer';
import type { RunningMcpHttpServer } from '../http/httpServer';
import { isLoopbackHost } from '../../loopback';
import { TokenIntrospector } from '../auth/introspection';
import { OAuthResourceServerAuthenticator } from '../auth/oauthResourceServer';
import { HqListCache } from '../hqListCache';
import { createLensesMcpServer, type ToolServerSettings } from '../server';
import { StdioDrain } from './stdioDrain';
import type { McpTelemetry } from '../../telemetry/telemetry';
import { AuditLog, ConfirmationStates, fileAuditSink, fixedGovernance, type Governance } from '../governance';

/** The path of the MCP endpoint, which is also the path of the OAuth resource. */
export function endpointPath(transport: ServerConfig['transport'] | undefined): string {
  return transport === 'sse' ? '/sse' : '/mcp';
}

/** The governance of the standalone server: fixed rules from the variables, the audit trail in the log and LENSES_AUDIT_LOG. */
export function standaloneGovernance(config: Pick<ServerConfig, 'governance' | 'auditLogPath' | 'confirmationKey'>, logger: Logger): Governance {
  let sink;
  try {
    sink = config.auditLogPath ? fileAuditSink(config.auditLogPath, logger) : undefined;
  } catch (error) {
    throw new Error(`LENSES_AUDIT_LOG cannot be opened for appending: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (config.auditLogPath) logger.info(`Audit trail of write and delete calls also goes to ${config.auditLogPath}`);
  return fixedGovernance(config.governance, { audit: new AuditLog(logger, sink), confirmations: new ConfirmationStates({ key: config.confirmationKey }) });
}

/** RFC 9728 protected-resource metadata of the standalone server in OAuth mode. */
export function protectedResourceMetadata(
  config: Pick<ServerConfig, 'mcpAdvertisedUrl' | 'lensesAdvertisedUrl' | 'scopes'> & { transport?: ServerConfig['transport'] },
): object {
  return {
    resource: `${config.mcpAdvertisedUrl}${endpointPath(config.transport)}`,
    authorization_servers: [config.lensesAdvertisedUrl],
    scopes_supported: config.scopes,
    bearer_methods_supported: ['header'],
    resource_name: 'Lenses MCP',
  };
}

export interface StandaloneDependencies {
  logger: Logger;
  fetch?: typeof fetch;
  /** OTEL_ENABLED: spans per MCP request and per HQ call. */
  telemetry?: McpTelemetry;
}

/** The fetch HQ calls go through: traced when telemetry is on. */
function hqFetch(dependencies: StandaloneDependencies): typeof fetch | undefined {
  return dependencies.telemetry ? dependencies.telemetry.traceFetch(dependencies.fetch ?? fetch) : dependencies.fetch;
}

/** The servers' settings from the configuration, one place for stdio and HTTP alike. */
function toolServerSettings(config: ServerConfig, dependencies: StandaloneDependencies): ToolServerSettings {
  return {
    lensesUrl: config.lensesUrl,
    fetch: hqFetch(dependencies),
    logger: dependencies.logger,
    hqTimeoutMs: config.hqTimeoutSeconds * 1000,
    maxToolOutputChars: config.maxToolOutputChars,
    governance: standaloneGovernance(config, dependencies.logger),
    toolSetChanges: 'restart',
  };
}

/** Where HQ calls go, as the official server logs its API base URLs (SQL's WebSocket is derived: wss for https). */
function logHqUrls(config: Pick<ServerConfig, 'lensesUrl'>, logger: Logger): void {
  const webSocket = new URL(config.lensesUrl);
  webSocket.protocol = webSocket.protocol === 'https:' ? 'wss:' : 'ws:';
  logger.info(`Lenses HQ at ${config.lensesUrl} (SQL over ${webSocket.href.replace(/\/$/, '')})`);
}

/**
 * The HTTP stack (hono, the SDK's Node transport, node:http) loads only for TRANSPORT=http/sse:
 * a stdio client spawns the server for each conversation and waits for its start.
 */
function httpServerModule(): typeof HttpServerModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- bundled, but initialized only when called
  return require('../http/httpServer') as typeof HttpServerModule;
}

/** Starts the standalone server over HTTP as the configuration says (OAuth or API key). */
export function startStandaloneHttp(config: ServerConfig, dependencies: StandaloneDependencies): Promise<RunningMcpHttpServer> {
  const { logger } = dependencies;
  const fetchImpl = hqFetch(dependencies);
  let authenticator: RequestAuthenticator;
  let metadata: object | undefined;
  if (config.oauthEnabled) {
    const path = endpointPath(config.transport);
    const resource = `${config.mcpAdvertisedUrl}${path}`;
    const introspector = new TokenIntrospector({
      url: config.introspectionUrl,
      cacheTtlSeconds: config.introspectionCacheTtlSeconds,
      fetch: fetchImpl,
      logger,
    });
    authenticator = new OAuthResourceServerAuthenticator({
      resource,
      resourceMetadataUrl: `${config.mcpAdvertisedUrl}/.well-known/oauth-protected-resource${path}`,
      scopes: config.scopes,
      introspector,
      logger,
    });
    metadata = protectedResourceMetadata(config);
    logger.info(
      `OAuth resource-server mode (${config.modeDecidedBy}): resource ${resource}, authorization server ${config.lensesAdvertisedUrl}, ${config.introspectionCacheTtlSeconds > 0 ? `introspection answers cached up to ${config.introspectionCacheTtlSeconds} s` : 'every request validated with HQ'}`,
    );
  } else {
    authenticator = new ApiKeyAuthenticator(config.apiKey ?? '', ALL_SCOPES);
    if (!isLoopbackHost(config.host)) logger.warn(`API-key mode on ${config.host}: anyone who can reach this port acts with the API key`);
    logger.info(`API-key mode (${config.modeDecidedBy})`);
  }
  logHqUrls(config, logger);
  return httpServerModule().startMcpHttpServer({
    host: config.host,
    port: config.port,
    authenticator,
    stateless: config.stateless,
    transport: config.transport === 'sse' ? 'sse' : 'http',
    replicaId: config.replicaId,
    advertisedUrl: config.mcpAdvertisedUrl,
    allowedHosts: config.allowedHosts,
    maxSessions: config.maxSessions,
    maxSessionsPerSubject: config.maxSessionsPerUser,
    maxListenStreams: config.maxListenStreams,
    maxListenStreamsPerCredential: config.maxListenStreamsPerCredential,
    protectedResourceMetadata: metadata,
    probeFetch: dependencies.fetch ?? fetch,
    telemetry: dependencies.telemetry,
    ...toolServerSettings(config, dependencies),
  });
}

/** The stdio server; `close` first lets the requests it read be answered, for at most `graceMs`. */
export interface RunningStdioServer {
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Serves MCP over stdin/stdout with the API key (stdout carries JSON-RPC only). At the end of
 * stdin (or a signal) the requests already read are still answered, within the grace period.
 */
export function startStandaloneStdio(
  config: ServerConfig,
  dependencies: StandaloneDependencies,
  stdio: { stdin: Readable; stdout: Writable } = { stdin: process.stdin, stdout: process.stdout },
): Promise<RunningStdioServer> {
  const settings = toolServerSettings(config, dependencies);
  const hqListCache = new HqListCache();
  const newServer = () =>
    createLensesMcpServer({
      ...settings,
      hqListCache,
      defaultAccess: { kind: 'granted', token: config.apiKey ?? '', scopes: new Set(ALL_SCOPES) },
      credential: 'api-key',
    });
  const drain = new StdioDrain(stdio.stdin);
  const transport = drain.track(new StdioServerTransport(drain.input, stdio.stdout));
  // The opening message picks the generation: initialize (2025) or server/discover (2026-07-28).
  const served = serveStdio(newServer, {
    transport: dependencies.telemetry ? dependencies.telemetry.traceTransport(transport) : transport,
    onerror: (error) => dependencies.logger.debug(`stdio: ${error.message}`),
  });
  dependencies.logger.info(`Lenses MCP server on stdio (API-key mode: ${config.modeDecidedBy})`);
  logHqUrls(config, dependencies.logger);
  return Promise.resolve({
    close: async (options) => {
      const unanswered = await drain.drain(options?.graceMs ?? 0);
      if (unanswered > 0) dependencies.logger.warn(`${unanswered} request(s) still running after the shutdown grace period: left unanswered`);
      await served.close();
    },
  });
}
