import { randomBytes } from 'node:crypto';
import type { Logger } from '../log';
import { Emitter } from './emitter';
import { LINK_SECRET_HEADER, type SessionSource } from '../mcp/embeddedAuthenticator';

/** The header VS Code sends to the embedded server (the server's own name for it). */
export const LINK_SECRET_HEADER_NAME = LINK_SECRET_HEADER;

/** What the VS Code layer needs of a running MCP HTTP server (`RunningMcpHttpServer` fits). */
export interface RunningServer {
  url: string;
  port: number;
  notifyToolsChanged(): void;
  close(): Promise<void>;
}

/** Starts the embedded server on 127.0.0.1:`port` (0 = ephemeral) with an authenticator built from these parts. */
export type StartEmbeddedServer = (options: { lensesUrl: string; linkSecret: string; sessions: SessionSource; port: number }) => Promise<RunningServer>;

/** A started embedded server and the headers VS Code must send to it. */
export interface EmbeddedEndpoint {
  url: string;
  headers: Record<string, string>;
}

interface Launched {
  server: RunningServer;
  endpoint: EmbeddedEndpoint;
  lensesUrl: string;
  linkSecret: string;
}

/**
 * Owns the embedded MCP server: started once on first need (single flight), with a fresh
 * random link secret per launch; stopped on dispose. A new HQ URL relaunches it on the
 * same port with the same link secret, so the definition VS Code holds stays valid: VS Code
 * sees its MCP session gone (404) and opens a new one by itself, instead of a refused
 * connection it would not retry.
 */
export class EmbeddedServerController {
  private starting: Promise<Launched> | undefined;
  private readonly moved = new Emitter<void>();
  /** A relaunch could not keep the port: the definition VS Code holds is stale. */
  readonly onDidMove = this.moved.event;

  constructor(
    private readonly start: StartEmbeddedServer,
    private readonly sessions: SessionSource,
    private readonly logger: Logger,
    private readonly newSecret: () => string = () => randomBytes(32).toString('base64url'),
  ) {}

  /** The running server's endpoint, starting it for `lensesUrl` if needed (relaunching it if the URL changed). */
  async ensureStarted(lensesUrl: string): Promise<EmbeddedEndpoint> {
    const current = this.starting;
    if (current) {
      const running = await current.catch(() => undefined);
      if (running?.lensesUrl === lensesUrl) return running.endpoint;
      if (this.starting !== current) return this.ensureStarted(lensesUrl);
      return (await this.relaunch(lensesUrl, running)).endpoint;
    }
    return (await this.track(this.launch(lensesUrl))).endpoint;
  }

  /**
   * `lenses.url` changed: a running server is relaunched for `lensesUrl` at once, on its
   * port with its link secret (a stopped one stays stopped). Its tokens were for the old HQ:
   * it must not keep calling that one.
   */
  async hqUrlChanged(lensesUrl: string): Promise<void> {
    const current = this.starting;
    if (!current) return;
    const running = await current.catch(() => undefined);
    if (this.starting !== current || running?.lensesUrl === lensesUrl) return;
    if (!lensesUrl) {
      await this.stop();
      return;
    }
    await this.relaunch(lensesUrl, running);
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
    this.moved.dispose();
    return this.stop();
  }

  private relaunch(lensesUrl: string, previous: Launched | undefined): Promise<Launched> {
    const relaunching = (async () => {
      if (previous) await previous.server.close();
      if (!previous) return this.launch(lensesUrl);
      try {
        const launched = await this.launch(lensesUrl, previous.server.port, previous.linkSecret);
        this.logger.info(`Relaunched the embedded Lenses MCP server for ${lensesUrl} on the same port`);
        return launched;
      } catch (error) {
        // The port was taken meanwhile: a new one (VS Code then resolves the definition again).
        this.logger.warn(`Could not relaunch the embedded server on port ${previous.server.port} (${error instanceof Error ? error.message : String(error)}); using a new port`);
        const launched = await this.launch(lensesUrl);
        this.moved.fire();
        return launched;
      }
    })();
    return this.track(relaunching);
  }

  private track(launching: Promise<Launched>): Promise<Launched> {
    this.starting = launching;
    launching.catch(() => {
      if (this.starting === launching) this.starting = undefined;
    });
    return launching;
  }

  private async launch(lensesUrl: string, port = 0, linkSecret = this.newSecret()): Promise<Launched> {
    const began = Date.now();
    const server = await this.start({ lensesUrl, linkSecret, sessions: this.sessions, port });
    this.logger.info(`Started the embedded Lenses MCP server at ${server.url} in ${Date.now() - began} ms`);
    return { server, lensesUrl, linkSecret, endpoint: { url: server.url, headers: { [LINK_SECRET_HEADER_NAME]: linkSecret } } };
  }
}
