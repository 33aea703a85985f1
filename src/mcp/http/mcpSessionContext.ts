import type { AuthInfo, Server, Transport } from '@modelcontextprotocol/server';
import type { Logger } from '../../log';
import type { Scope } from '../../scopes';
import type { McpSession } from './sessionRegistry';
import type { ToolAccess } from '../toolAccess';

/** What every kind of MCP session handling (sessionful, stateless, HTTP+SSE) is given. */
export interface McpSessionContext {
  /** A new Lenses MCP server (one per session, or per request when stateless); `requestAuth`: the one request it serves (2026-07-28). */
  newServer(requestAuth?: AuthInfo): Server;
  /** `<replicaId>.<uuid>` with MCP_REPLICA_ID, else a uuid. */
  newSessionId(): string;
  /** Connects a server to its transport (traced when telemetry is on). */
  connect(server: Server, transport: Transport): Promise<void>;
  logger: Logger;
  now: () => number;
}

export function scopeKey(scopes: ReadonlySet<Scope>): string {
  return [...scopes].sort().join(' ');
}

/** A request of an open session whose token carries other scopes: the session's tool list changed. */
export function noteSessionScopes<T extends Transport>(session: McpSession<T>, id: string, access: ToolAccess, logger: Logger): void {
  const scopes = scopeKey(access.scopes);
  if (scopes === session.scopes) return;
  session.scopes = scopes;
  logger.info(`Session ${id.slice(0, 8)} now has scopes "${scopes}": tools changed`);
  void session.server.sendToolListChanged().catch(() => {});
}
