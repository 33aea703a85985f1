import type { Logger } from '../../log';
import { EmbeddedAuthenticator } from '../../mcp/auth/embeddedAuthenticator';
import type { Governance } from '../../mcp/governance';
import { startMcpHttpServer } from './mcpServerLoader';
import type { StartEmbeddedServer } from './embeddedServer';
import { introspectorsPerHq } from './hqIntrospection';

/** How long the embedded server trusts HQ's answer that the session's token is active. */
const INTROSPECTION_CACHE_SECONDS = 30;

export interface EmbeddedServerDependencies {
  logger: Logger;
  /** lenses.mcp.maxToolOutputChars, read on each answer. */
  maxToolOutputChars: () => number;
  /** The editor's governance (read-only mode, tool filters, protected environments, audit). */
  governance: Governance;
  /** Bounds each HQ call and introspection (default: the server's 30 s, the introspector's 5 s). */
  hqTimeoutMs?: number;
}

/**
 * How the embedded server starts: on 127.0.0.1 port 0, the link secret and the editor's
 * session checked by the embedded authenticator (each HQ's introspection cached briefly),
 * no resumable streams.
 */
export function embeddedServerFactory(parts: EmbeddedServerDependencies): StartEmbeddedServer {
  const { logger, maxToolOutputChars, governance, hqTimeoutMs } = parts;
  return ({ lensesUrl, linkSecret, sessions }) => {
    const introspectors = introspectorsPerHq(lensesUrl, INTROSPECTION_CACHE_SECONDS, logger, hqTimeoutMs);
    const authenticator = new EmbeddedAuthenticator(linkSecret, sessions, logger, introspectors);
    return startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl,
      authenticator,
      logger,
      resumableStreams: false,
      maxToolOutputChars,
      governance,
      hqTimeoutMs,
    });
  };
}
