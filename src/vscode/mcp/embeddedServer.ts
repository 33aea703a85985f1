import { randomBytes } from 'node:crypto';
import type { Logger } from '../../log';
import { LINK_SECRET_HEADER, type SessionSource } from '../../mcp/auth/embeddedAuthenticator';

/** The header VS Code sends to the embedded server (the server's own name for it). */
export const LINK_SECRET_HEADER_NAME = LINK_SECRET_HEADER;

/** What the VS Code layer needs of a running MCP HTTP server (`RunningMcpHttpServer` fits). */
export interface RunningServer {
  url: string;
  notifyToolsChanged(): void;
  close(): Promise<void>;
}

/**
 * Starts the embedded server on 127.0.0.1:0 with an authenticator built from these parts.
 * `lensesUrl` is only the default: each session names the HQ it was issued for
 * (`EmbeddedSession.hqUrl`), so the server follows `lenses.url` without a restart.
 */
export type StartEmbeddedServer = (options: { lensesUrl: string; linkSecret: string; sessions: SessionSource }) => Promise<RunningServer>;

/** A started embedded server and the headers VS Code must send to it. */
export interface EmbeddedEndpoint {
  url: string;
  headers: Record<string, string>;
}

/**
 * Owns the embedded MCP server: started once on first need (single flight), with a fresh
 * random link secret per launch; stopped on dispose. A change of `lenses.url` does not stop
 * it: VS Code keeps its connection (a stopped or moved server would show as an error in
 * MCP: List Servers and need Start Server by hand), and the tool list follows the session.
 */
export class EmbeddedServerController {
  private starting: Promise<{ server: RunningServer; endpoint: EmbeddedEndpoint }> | undefined;

  constructor(
    private readonly start: StartEmbeddedServer,
    private readonly sessions: SessionSource,
    private readonly logger: Logger,
    private readonly newSecret: () => string = () => randomBytes(32).toString('base64url'),
  ) {}

  /** The running server's endpoint, starting it if needed. */
  async ensureStarted(lensesUrl: string): Promise<EmbeddedEndpoint> {
    if (!this.starting) {
      const launching = this.launch(lensesUrl);
      this.starting = launching;
      launching.catch(() => {
        if (this.starting === launching) this.starting = undefined;
      });
    }
    return (await this.starting).endpoint;
  }

  /** `lenses.url` changed: the server keeps serving; its clients list the tools of the new HQ's session (none until signed in). */
  hqUrlChanged(): void {
    this.notifyToolsChanged();
  }

  /** Tells connected MCP clients to list tools again (session or scopes changed). */
  notifyToolsChanged(): void {
    void this.starting?.then(({ server }) => server.notifyToolsChanged()).catch(() => undefined);
  }

  get isRunning(): boolean {
    return this.starting !== undefined;
  }

  async stop(): Promise<void> {
    const running = this.starting;
    this.starting = undefined;
    if (!running) return;
    const started = await running.catch(() => undefined);
    if (!started) return;
    await started.server.close();
    this.logger.info('Stopped the embedded Lenses MCP server');
  }

  dispose(): Promise<void> {
    return this.stop();
  }

  private async launch(lensesUrl: string) {
    const linkSecret = this.newSecret();
    const began = Date.now();
    const server = await this.start({ lensesUrl, linkSecret, sessions: this.sessions });
    this.logger.info(`Started the embedded Lenses MCP server at ${server.url} in ${Date.now() - began} ms`);
    return { server, endpoint: { url: server.url, headers: { [LINK_SECRET_HEADER_NAME]: linkSecret } } };
  }
}
