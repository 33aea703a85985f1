import type * as vscode from 'vscode';
import type { Logger } from '../log';
import { Emitter } from './emitter';
import type { EmbeddedServerController } from './embeddedServer';
import { SETTING, type LensesSettings } from './settings';

/** The MCP server definition provider id (package.json `contributes.mcpServerDefinitionProviders`). */
export const MCP_PROVIDER_ID = 'lenses';
export const MCP_SERVER_LABEL = 'Lenses';

/** Provided before the server runs; `resolveMcpServerDefinition` returns the real URL (VSCODE-E2E.md). */
export const PLACEHOLDER_MCP_URL = 'http://127.0.0.1/mcp';

/** Builds an HTTP MCP server definition (`new vscode.McpHttpServerDefinition(…)` in the editor). */
export type CreateHttpDefinition<D> = (label: string, url: string, headers: Record<string, string>) => D;

export interface McpProviderDeps<D> {
  settings(): LensesSettings;
  server: Pick<EmbeddedServerController, 'ensureStarted' | 'notifyToolsChanged' | 'stop' | 'isRunning'>;
  /** Silent: is there a session (with whatever scopes were granted)? */
  hasSession(): Promise<boolean>;
  /** Asks to sign in (`getSession(…, { createIfNone: true })`); false when the user declined. */
  ensureSession(): Promise<boolean>;
  /** An access token for the remote Lenses MCP server's own resource (`lenses.mcp.url`); undefined when declined. */
  remoteAccessToken(mcpUrl: string): Promise<string | undefined>;
  createDefinition: CreateHttpDefinition<D>;
  logger: Logger;
}

/**
 * Offers one MCP server, "Lenses": the embedded server (started on first resolve, link
 * secret header) or the remote one of `lenses.mcp.url` (bearer header). A new session or
 * new scopes only refresh the tool list; the definition change event, which stops a running
 * server, fires when the definition itself changes and on sign-out.
 */
export class LensesMcpServerProvider<D> {
  private readonly changes = new Emitter<void>();
  readonly onDidChangeMcpServerDefinitions: vscode.Event<void> = this.changes.event;

  constructor(private readonly deps: McpProviderDeps<D>) {}

  /** Never prompts: a placeholder until resolve. */
  provideMcpServerDefinitions(): D[] {
    const { mcpUrl } = this.deps.settings();
    return [this.deps.createDefinition(MCP_SERVER_LABEL, mcpUrl || PLACEHOLDER_MCP_URL, {})];
  }

  /** Signs in if needed, then starts (or reuses) the server; undefined keeps VS Code from starting it. */
  async resolveMcpServerDefinition(_server: D): Promise<D | undefined> {
    const { logger } = this.deps;
    const settings = this.deps.settings();
    if (settings.mcpUrl) {
      const token = await this.deps.remoteAccessToken(settings.mcpUrl);
      if (!token) {
        logger.info('Not starting the remote Lenses MCP server: no session');
        return undefined;
      }
      return this.deps.createDefinition(MCP_SERVER_LABEL, settings.mcpUrl, { Authorization: `Bearer ${token}` });
    }
    // A session granted fewer scopes than configured still counts: asking again would loop.
    if (!(await this.deps.hasSession()) && !(await this.deps.ensureSession())) {
      logger.info('Not starting the Lenses MCP server: sign-in declined');
      return undefined;
    }
    const lensesUrl = this.deps.settings().url;
    if (!lensesUrl) return undefined;
    const endpoint = await this.deps.server.ensureStarted(lensesUrl);
    return this.deps.createDefinition(MCP_SERVER_LABEL, endpoint.url, endpoint.headers);
  }

  /**
   * Sign-in or new scopes: the running server's tool list changes (tools/list_changed).
   * Sign-out: the server stops and the definition change tells VS Code so, which drops the
   * Lenses tools; the next use resolves again and asks to sign in.
   */
  async sessionsChanged(): Promise<void> {
    if (this.deps.settings().mcpUrl || (await this.deps.hasSession())) {
      this.deps.server.notifyToolsChanged();
      return;
    }
    if (!this.deps.server.isRunning) return;
    await this.deps.server.stop();
    this.deps.logger.info('Signed out: stopped the Lenses MCP server');
    this.changes.fire();
  }

  /** `lenses.url` or `lenses.mcp.url` changed: the definition changes (and the embedded server must restart). */
  async configurationChanged(affects: (section: string) => boolean): Promise<void> {
    if (!affects(SETTING.url) && !affects(SETTING.mcpUrl)) return;
    // A new HQ, or a switch to or from a remote server: the running embedded server is stale.
    await this.deps.server.stop();
    this.deps.logger.info('Lenses MCP server definition changed');
    this.changes.fire();
  }

  dispose(): void {
    this.changes.dispose();
  }
}
