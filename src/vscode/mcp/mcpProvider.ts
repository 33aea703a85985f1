import type * as vscode from 'vscode';
import { errorMessage } from '../../errors';
import type { Logger } from '../../log';
import { Emitter } from '../emitter';
import type { EmbeddedServerController } from './embeddedServer';
import { RemoteMcpRefusedError, type RemoteToken } from './remoteMcpSession';
import { SETTING, type LensesSettings } from '../settings';

/** The MCP server definition provider id (package.json `contributes.mcpServerDefinitionProviders`). */
export const MCP_PROVIDER_ID = 'lenses';
export const MCP_SERVER_LABEL = 'Lenses';

/**
 * How long before expiry the remote server's bearer is renewed. Shorter than the OAuth core's
 * refresh margin (60 s), so the lookup the renewal causes gets a refreshed token, not the same one.
 */
export const REMOTE_RENEW_MARGIN_MS = 30_000;

function defaultTimer(run: () => void, delayMs: number): { dispose(): void } {
  const timer = setTimeout(run, delayMs);
  timer.unref?.();
  return { dispose: () => clearTimeout(timer) };
}

/** Builds an HTTP MCP server definition (`new vscode.McpHttpServerDefinition(…)` in the editor). */
export type CreateHttpDefinition<D> = (label: string, url: string, headers: Record<string, string>) => D;

/** A definition as plain data: what VS Code (and its Copilot harness) gets. */
interface DefinitionData {
  label: string;
  url: string;
  headers: Record<string, string>;
}

export interface McpProviderDependencies<D> {
  settings(): LensesSettings;
  server: Pick<EmbeddedServerController, 'ensureStarted' | 'notifyToolsChanged' | 'stop' | 'hqUrlChanged' | 'isRunning'>;
  /** Silent: is there a session (with whatever scopes were granted)? */
  hasSession(): Promise<boolean>;
  /** Asks to sign in (`getSession(…, { createIfNone: true })`); false when the user declined. */
  ensureSession(): Promise<boolean>;
  /** An access token for the remote Lenses MCP server's own resource (`lenses.mcp.url`); undefined when declined. May ask. */
  remoteAccessToken(mcpUrl: string): Promise<RemoteToken | undefined>;
  /** Silent: the remote server's token when nothing needs asking (confirmed origin, stored session); never prompts. */
  storedRemoteAccessToken(mcpUrl: string): Promise<RemoteToken | undefined>;
  /** Timers (injectable for tests): the remote bearer is renewed shortly before it expires. */
  setTimer?: (run: () => void, delayMs: number) => { dispose(): void };
  now?(): number;
  createDefinition: CreateHttpDefinition<D>;
  logger: Logger;
}

/**
 * Offers one MCP server, "Lenses": the embedded server (link secret header) or the remote one
 * of `lenses.mcp.url` (bearer header).
 *
 * The PROVIDED definition is the working one whenever nothing needs asking: VS Code's Copilot
 * harness (Agent Host) forwards what was provided and never calls `resolveMcpServerDefinition`.
 * So a session starts the embedded server and its URL and link secret are provided. Signed out
 * with no server started yet, nothing is provided (a placeholder would be forwarded as a server
 * that cannot work), and signing in makes the server appear. Once started, the server stays
 * provided when the user signs out: it then lists no tools, and signing in again sends
 * `tools/list_changed` to every running session (no restart, no Start Server by hand).
 * The change event fires only when the provided definition changes, because VS Code stops a
 * running server on every change.
 */
export class LensesMcpServerProvider<D> {
  private readonly changes = new Emitter<void>();
  private renewal: { dispose(): void } | undefined;
  /** The expiry the last renewal fired for: a lookup that brings the same token back schedules no second one. */
  private renewedFor: number | undefined;
  /** Why the remote server got no sign-in (CL-16): shown beside its name in "MCP: List Servers". */
  private remoteRefusal: string | undefined;
  /** What VS Code was last given (or told to ask for); undefined until it first asked. */
  private provided: string | undefined;
  /** Definition checks one at a time, so a late answer never overtakes a newer one. */
  private checking: Promise<void> = Promise.resolve();
  readonly onDidChangeMcpServerDefinitions: vscode.Event<void> = this.changes.event;

  constructor(private readonly dependencies: McpProviderDependencies<D>) {}

  /** Never prompts: the working definition when signed in (starting the embedded server) or the server runs; none before that. */
  async provideMcpServerDefinitions(): Promise<D[]> {
    const working = await this.workingDefinition();
    this.provided = keyOf(working);
    return working ? [this.dependencies.createDefinition(working.label, working.url, working.headers)] : [];
  }

  /** Signs in if needed, then starts (or reuses) the server; undefined keeps VS Code from starting it. */
  async resolveMcpServerDefinition(_server: D): Promise<D | undefined> {
    const { logger } = this.dependencies;
    const settings = this.dependencies.settings();
    if (settings.mcpUrl) {
      let token: RemoteToken | undefined;
      try {
        token = await this.dependencies.remoteAccessToken(settings.mcpUrl);
      } catch (error) {
        if (!(error instanceof RemoteMcpRefusedError)) throw error;
        logger.info(`Not starting the remote Lenses MCP server: ${error.message}`);
        // The label is all "MCP: List Servers" shows of a provider's server: say why there.
        if (this.remoteRefusal !== error.summary) {
          this.remoteRefusal = error.summary;
          this.changes.fire();
        }
        return undefined;
      }
      // A later confirmation: the label catches up at the next definition change (the renewal), not now, which would stop the server.
      this.remoteRefusal = undefined;
      if (!token) {
        logger.info('Not starting the remote Lenses MCP server: no session');
        return undefined;
      }
      this.renewBefore(token.expiresAt);
      return this.dependencies.createDefinition(MCP_SERVER_LABEL, settings.mcpUrl, { Authorization: `Bearer ${token.accessToken}` });
    }
    // A session granted fewer scopes than configured still counts: asking again would loop.
    if (!(await this.dependencies.hasSession()) && !(await this.dependencies.ensureSession())) {
      logger.info('Not starting the Lenses MCP server: sign-in declined');
      return undefined;
    }
    const lensesUrl = this.dependencies.settings().url;
    if (!lensesUrl) return undefined;
    const endpoint = await this.dependencies.server.ensureStarted(lensesUrl);
    return this.dependencies.createDefinition(MCP_SERVER_LABEL, endpoint.url, endpoint.headers);
  }

  /**
   * Sign-in, sign-out or new scopes: the tools are listed again in running sessions; the
   * definition changes only when the first sign-in started the server.
   */
  sessionsChanged(): void {
    this.dependencies.server.notifyToolsChanged();
    this.definitionMayHaveChanged().catch((error: unknown) =>
      this.dependencies.logger.error(`Could not check the Lenses MCP server definition: ${errorMessage(error)}`),
    );
  }

  /**
   * `lenses.mcp.url` changed (a switch to or from a remote server, or another one): the
   * definition changes. `lenses.url` alone: the embedded server keeps serving (each session
   * names its HQ), so VS Code keeps its connection (no refused connection in MCP: List
   * Servers, no Start Server by hand) and lists the new HQ's tools (none until signed in there).
   */
  async configurationChanged(affects: (section: string) => boolean): Promise<void> {
    if (affects(SETTING.mcpUrl)) {
      await this.dependencies.server.stop();
      this.remoteRefusal = undefined;
      this.dependencies.logger.info('Lenses MCP server definition changed');
      this.changes.fire();
      return;
    }
    if (affects(SETTING.url) && !this.dependencies.settings().mcpUrl) {
      this.dependencies.server.hqUrlChanged();
      await this.definitionMayHaveChanged();
    }
  }

  /** Fires the change event when what would be provided now differs from what VS Code has. */
  definitionMayHaveChanged(): Promise<void> {
    const check = this.checking.then(async () => {
      if (this.provided === undefined) return; // VS Code has not asked yet: it will.
      const now = keyOf(await this.workingDefinition());
      if (now === this.provided) return;
      this.provided = now;
      this.dependencies.logger.info(now === NONE ? 'Lenses MCP server definition withdrawn' : 'Lenses MCP server definition changed');
      this.changes.fire();
    });
    this.checking = check.catch(() => undefined);
    return check;
  }

  /** What VS Code can use without asking anything: undefined while signed out before the server first started. */
  private async workingDefinition(): Promise<DefinitionData | undefined> {
    const settings = this.dependencies.settings();
    if (settings.mcpUrl) return this.remoteDefinition(settings.mcpUrl);
    if (!settings.url || (!this.dependencies.server.isRunning && !(await this.dependencies.hasSession()))) return undefined;
    try {
      const endpoint = await this.dependencies.server.ensureStarted(settings.url);
      return { label: MCP_SERVER_LABEL, url: endpoint.url, headers: endpoint.headers };
    } catch (error) {
      this.dependencies.logger.error(`Could not start the embedded Lenses MCP server: ${errorMessage(error)}`);
      return undefined;
    }
  }

  /**
   * The remote server with its bearer when a token is at hand silently; otherwise without one,
   * so the Local harness can still start it and `resolveMcpServerDefinition` ask to confirm the
   * origin and sign in (those questions exist only there).
   */
  private async remoteDefinition(mcpUrl: string): Promise<DefinitionData> {
    const label = this.remoteRefusal ? `${MCP_SERVER_LABEL} (${this.remoteRefusal})` : MCP_SERVER_LABEL;
    let token: RemoteToken | undefined;
    try {
      token = await this.dependencies.storedRemoteAccessToken(mcpUrl);
    } catch (error) {
      this.dependencies.logger.warn(`No stored token for the remote Lenses MCP server: ${errorMessage(error)}`);
    }
    if (!token) return { label, url: mcpUrl, headers: {} };
    this.renewBefore(token.expiresAt);
    return { label, url: mcpUrl, headers: { Authorization: `Bearer ${token.accessToken}` } };
  }

  /**
   * The remote definition carries its bearer as a header, which VS Code keeps until the
   * definition changes: fire the change shortly before expiry so VS Code asks again and gets
   * a refreshed token (a 401 would start VS Code's own OAuth dialog instead).
   */
  private renewBefore(expiresAt: number): void {
    if (expiresAt === this.renewedFor) return;
    this.renewal?.dispose();
    const now = this.dependencies.now?.() ?? Date.now();
    // setTimeout fires at once past 2^31-1 ms: clamp (tokens live hours, not weeks).
    const delay = Math.min(Math.max(0, expiresAt - now - REMOTE_RENEW_MARGIN_MS), 2 ** 31 - 1);
    const setTimer = this.dependencies.setTimer ?? defaultTimer;
    this.renewal = setTimer(() => {
      this.renewal = undefined;
      this.renewedFor = expiresAt;
      this.dependencies.logger.info('Renewing the remote Lenses MCP server token');
      this.changes.fire();
    }, delay);
  }

  dispose(): void {
    this.renewal?.dispose();
    this.changes.dispose();
  }
}

const NONE = 'none';

/** Compares definitions by what VS Code uses of them. */
function keyOf(definition: DefinitionData | undefined): string {
  return definition ? JSON.stringify([definition.label, definition.url, Object.entries(definition.headers).sort()]) : NONE;
}
