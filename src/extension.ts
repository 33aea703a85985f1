import * as vscode from 'vscode';
import { listAuthorizations, revokeAuthorization } from './lenses/connectedApps';
import { EmbeddedAuthenticator } from './mcp/embeddedAuthenticator';
import { startMcpHttpServer } from './mcp/httpServer';
import { TokenIntrospector } from './mcp/introspection';
import { introspectionEndpointFromMetadata } from './mcp/introspectionEndpoint';
import { discoverFromResource, LensesOAuthClient, probeResource } from './oauth';
import { AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, LensesAuthenticationProvider } from './vscode/authProvider';
import { registerCommands } from './vscode/commands';
import { CONNECTED_APPS_VIEW_ID } from './vscode/commandIds';
import { ClientSecret } from './vscode/clientSecret';
import { registerClientSecretCommand } from './vscode/clientSecretCommand';
import { ConfiguredOAuthClient } from './vscode/configuredOAuthClient';
import { ConnectedApplications } from './vscode/connectedAppsModel';
import { ConnectedAppsTreeProvider } from './vscode/connectedAppsView';
import { EmbeddedServerController } from './vscode/embeddedServer';
import { LensesMcpServerProvider, MCP_PROVIDER_ID } from './vscode/mcpProvider';
import { RemoteMcpSessions } from './vscode/remoteMcpSession';
import { hqResource, isHqSession } from './vscode/sessionResources';
import { EditorSessionSource } from './vscode/sessionSource';
import { readSettings } from './vscode/settings';
import { StandaloneServerCopy } from './vscode/standaloneServerCopy';
import { AuthCallbackHandler } from './vscode/uriCallback';
import { AccountStatus } from './vscode/accountStatus';
import { BearerTrust } from './vscode/bearerTrust';
import { openInBrowser, redirectForWindow, secretStoreOf, workspaceFileSystem } from './vscode/editorPlatform';
import { showSessionEnded, vscodeAuthUi, vscodeConnectedAppsUi } from './vscode/vscodeUi';

/** What activate() returns: the parts, for tests and the bench. */
export interface LensesExtensionApi {
  authProvider: LensesAuthenticationProvider;
  mcpProvider: LensesMcpServerProvider<vscode.McpHttpServerDefinition>;
  embeddedServer: EmbeddedServerController;
  connectedApplications: ConnectedApplications;
  /** From the start of activate() until every provider was registered. */
  activationMs: number;
}

let embeddedServer: EmbeddedServerController | undefined;

/** How long the embedded server trusts HQ's answer that the session's token is active. */
const INTROSPECTION_CACHE_SECONDS = 30;

export function activate(context: vscode.ExtensionContext): LensesExtensionApi {
  const began = performance.now();
  const output = vscode.window.createOutputChannel('Lenses', { log: true });
  const settings = () => readSettings(vscode.workspace.getConfiguration());
  const clientSecret = new ClientSecret(context.secrets, output);
  const oauth = new ConfiguredOAuthClient(
    (current, secret) =>
      new LensesOAuthClient({
        secrets: secretStoreOf(context.secrets),
        logger: output,
        openBrowser: async (url) => openInBrowser(url),
        clientId: current.clientId || undefined,
        // lenses.oauth.clientSecret lives in SecretStorage only; the client ID is bound to the HQ of lenses.url
        clientSecret: current.clientId ? secret : undefined,
        clientIssuer: hqResource(current.url),
        clientMetadataUrl: current.clientMetadataUrl || undefined,
        allowInsecureHttp: current.allowInsecureHttp,
      }),
    settings,
    () => clientSecret.current(),
  );

  const callbacks = new AuthCallbackHandler((reason) => output.warn(`Ignored a sign-in callback: ${reason}`));
  const trust = new BearerTrust(context.globalState, output, () => void mcpProvider.configurationChanged((section) => section === 'lenses.mcp.url'));
  const redirect = () => redirectForWindow(context.extension.id, callbacks);

  const authProvider = new LensesAuthenticationProvider({
    oauth,
    settings,
    ui: vscodeAuthUi,
    redirect,
    secretsChanged: context.secrets.onDidChange,
    accepts: (session) => isHqSession(session, settings().url),
    sessionEnded: () => sessionSource.sessionLost('Lenses refused to refresh the session'),
    logger: output,
  });
  const sessionSource = new EditorSessionSource({
    validCurrentSession: () => authProvider.validCurrentSession(),
    showSessionEnded,
    logger: output,
  });
  embeddedServer = new EmbeddedServerController(
    ({ lensesUrl, linkSecret, sessions }) => {
      const introspector = new TokenIntrospector({ url: () => introspectionEndpointFromMetadata(lensesUrl), cacheTtlSeconds: INTROSPECTION_CACHE_SECONDS, logger: output });
      const authenticator = new EmbeddedAuthenticator(linkSecret, sessions, output, introspector);
      return startMcpHttpServer({ host: '127.0.0.1', port: 0, lensesUrl, authenticator, logger: output, resumableStreams: false, maxToolOutputChars: () => settings().maxToolOutputChars });
    },
    sessionSource,
    output,
  );
  const remoteSessions = new RemoteMcpSessions({
    oauth,
    settings,
    userSettings: () => trust.userSettings(),
    confirmations: trust.confirmations,
    bearerOrigins: trust.bearerOrigins,
    discoverIssuer: async (mcpUrl) => (await discoverFromResource(mcpUrl, { allowInsecureHttp: settings().allowInsecureHttp, logger: output })).authorizationServer.issuer,
    ui: vscodeAuthUi,
    redirect,
    logger: output,
    probe: (mcpUrl, accessToken) => probeResource(mcpUrl, { bearer: { token: accessToken, origins: trust.bearerOrigins }, allowInsecureHttp: settings().allowInsecureHttp }),
    tokenChanged: () => void mcpProvider.configurationChanged((section) => section === 'lenses.mcp.url'),
  });
  const mcpProvider = new LensesMcpServerProvider<vscode.McpHttpServerDefinition>({
    settings,
    server: embeddedServer,
    hasSession: async () => (await authProvider.currentSession()) !== undefined,
    ensureSession: async () => {
      try {
        return (await vscode.authentication.getSession(AUTH_PROVIDER_ID, settings().scopes, { createIfNone: true })) !== undefined;
      } catch {
        return false;
      }
    },
    remoteAccessToken: (mcpUrl) => remoteSessions.accessToken(mcpUrl),
    createDefinition: (label, url, headers) => new vscode.McpHttpServerDefinition(label, vscode.Uri.parse(url), headers),
    logger: output,
  });
  const connectedApplications = new ConnectedApplications({
    currentSession: () => authProvider.validCurrentSession(),
    hqUrl: () => settings().url,
    list: (hqUrl, token) => listAuthorizations(hqUrl, token, { bearerOrigins: trust.bearerOrigins, allowInsecureHttp: settings().allowInsecureHttp }),
    revoke: (hqUrl, token, id) => revokeAuthorization(hqUrl, token, id, { bearerOrigins: trust.bearerOrigins, allowInsecureHttp: settings().allowInsecureHttp }),
    forgetSession: (id) => authProvider.forgetSession(id),
    ui: vscodeConnectedAppsUi,
    logger: output,
  });

  const standaloneServer = new StandaloneServerCopy(
    workspaceFileSystem,
    vscode.Uri.joinPath(context.extensionUri, 'dist', 'lenses-mcp.js').fsPath,
    context.globalStorageUri.fsPath,
    output,
  );
  void standaloneServer.refreshIfInstalled().catch((error: unknown) => output.warn(`Could not refresh the standalone server copy: ${String(error)}`));

  const accountStatus = new AccountStatus(() => authProvider.currentSession(), () => settings().url);

  context.subscriptions.push(
    output,
    oauth,
    clientSecret,
    registerClientSecretCommand(clientSecret),
    trust,
    vscode.Disposable.from(authProvider, vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, authProvider, { supportsMultipleAccounts: false })),
    vscode.window.registerUriHandler(callbacks),
    vscode.Disposable.from(mcpProvider, vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, mcpProvider)),
    { dispose: () => void embeddedServer?.dispose() },
    vscode.Disposable.from(
      connectedApplications,
      vscode.window.createTreeView(CONNECTED_APPS_VIEW_ID, { treeDataProvider: new ConnectedAppsTreeProvider(connectedApplications), showCollapseAll: false }),
    ),
    accountStatus,
    registerCommands({ auth: authProvider, apps: connectedApplications, settings, installStandaloneServer: () => standaloneServer.install(), output, logger: output }),
    authProvider.onDidChangeSessions(() => {
      mcpProvider.sessionsChanged();
      connectedApplications.refresh();
      void accountStatus.update();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('lenses')) return;
      try {
        await authProvider.reconcile();
        await mcpProvider.configurationChanged((section) => event.affectsConfiguration(section));
      } catch (error) {
        output.error(`Could not apply the new Lenses settings: ${error instanceof Error ? error.message : String(error)}`);
      }
      connectedApplications.refresh();
      void accountStatus.update();
    }),
  );
  void accountStatus.update();

  const activationMs = Math.round(performance.now() - began);
  output.info(`Activated in ${activationMs} ms`);
  return { authProvider, mcpProvider, embeddedServer, connectedApplications, activationMs };
}

/** Stops the embedded server (also disposed through the subscriptions; stopping twice is harmless). */
export async function deactivate(): Promise<void> {
  await embeddedServer?.dispose();
  embeddedServer = undefined;
}
