import * as vscode from 'vscode';
import { listAuthorizations, revokeAuthorization } from './lenses/connectedApps';
import { EmbeddedAuthenticator } from './mcp/embeddedAuthenticator';
import { startMcpHttpServer } from './mcp/httpServer';
import { discoverFromResource, LensesOAuthClient, probeResource } from './oauth';
import { AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, LensesAuthenticationProvider } from './vscode/authProvider';
import { registerCommands } from './vscode/commands';
import { CONNECTED_APPS_VIEW_ID } from './vscode/commandIds';
import type { LensesSession } from './vscode/oauthPort';
import { EndedSessionNote } from './vscode/sessionEnd';
import { checkSessionWithHq, introspectorsPerHq } from './vscode/hqIntrospection';
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
import { readSettings, SETTING } from './vscode/settings';
import { describeSetAside } from './vscode/userMessages';
import { StandaloneServerCopy } from './vscode/standaloneServerCopy';
import { AuthCallbackHandler } from './vscode/uriCallback';
import { AccountStatus } from './vscode/accountStatus';
import { BearerTrust } from './vscode/bearerTrust';
import { openInBrowser, redirectForWindow, secretStoreOf, workspaceFileSystem } from './vscode/editorPlatform';
import { showSignInNeeded, showUserMessage, vscodeAuthUi, vscodeConnectedAppsUi } from './vscode/vscodeUi';
import { affectsGovernance, EditorGovernance } from './vscode/governanceSettings';
import { registerShowAvailableTools } from './vscode/availableTools';

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
  // Read-only mode, tool filters, protected environments (lenses.mcp.*); audit lines go to the Lenses log.
  const governance = new EditorGovernance(() => vscode.workspace.getConfiguration(), output);
  const warnAboutGovernance = () => governance.reload().forEach((warning) => void showUserMessage('warning', warning));
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
    sessionEnded: (ended) => sessionSource.sessionEnded(ended),
    endedNote: new EndedSessionNote(secretStoreOf(context.secrets)),
    logger: output,
  });
  const sessionSource = new EditorSessionSource({
    validCurrentSession: () => authProvider.validCurrentSession(),
    hqUrl: () => settings().url,
    endSession: (cause, token) => authProvider.endSession(cause, token),
    showSignInNeeded,
    logger: output,
  });
  embeddedServer = new EmbeddedServerController(
    ({ lensesUrl, linkSecret, sessions }) => {
      const authenticator = new EmbeddedAuthenticator(linkSecret, sessions, output, introspectorsPerHq(lensesUrl, INTROSPECTION_CACHE_SECONDS, output));
      return startMcpHttpServer({
        host: '127.0.0.1',
        port: 0,
        lensesUrl,
        authenticator,
        logger: output,
        resumableStreams: false,
        maxToolOutputChars: () => settings().maxToolOutputChars,
        governance: governance.governance,
      });
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
    discoverIssuer: async (mcpUrl) =>
      (await discoverFromResource(mcpUrl, { allowInsecureHttp: settings().allowInsecureHttp, logger: output })).authorizationServer.issuer,
    ui: vscodeAuthUi,
    redirect,
    logger: output,
    probe: (mcpUrl, accessToken) =>
      probeResource(mcpUrl, { bearer: { token: accessToken, origins: trust.bearerOrigins }, allowInsecureHttp: settings().allowInsecureHttp }),
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
    revoke: (hqUrl, token, id) =>
      revokeAuthorization(hqUrl, token, id, { bearerOrigins: trust.bearerOrigins, allowInsecureHttp: settings().allowInsecureHttp }),
    forgetSession: (id) => authProvider.forgetSession(id),
    endSession: (cause, token) => authProvider.endSession(cause, token),
    ui: vscodeConnectedAppsUi,
    logger: output,
  });
  const treeView = vscode.window.createTreeView(CONNECTED_APPS_VIEW_ID, {
    treeDataProvider: new ConnectedAppsTreeProvider(connectedApplications),
    showCollapseAll: false,
  });

  const standaloneServer = new StandaloneServerCopy(
    workspaceFileSystem,
    vscode.Uri.joinPath(context.extensionUri, 'dist', 'lenses-mcp.js').fsPath,
    context.globalStorageUri.fsPath,
    output,
  );
  void standaloneServer.refreshIfInstalled().catch((error: unknown) => output.warn(`Could not refresh the standalone server copy: ${String(error)}`));

  const accountStatus = new AccountStatus(
    () => authProvider.currentSession(),
    () => authProvider.lastEndedSession(),
    () => settings().url,
  );

  context.subscriptions.push(
    output,
    oauth,
    clientSecret,
    registerClientSecretCommand(clientSecret),
    trust,
    vscode.Disposable.from(
      authProvider,
      vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, authProvider, { supportsMultipleAccounts: false }),
    ),
    vscode.window.registerUriHandler(callbacks),
    vscode.Disposable.from(mcpProvider, vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, mcpProvider)),
    { dispose: () => void embeddedServer?.dispose() },
    vscode.Disposable.from(
      connectedApplications,
      treeView,
      // An application granted elsewhere shows up without pressing Refresh (at most every 30 s).
      treeView.onDidChangeVisibility((event) => {
        if (event.visible) connectedApplications.refreshIfStale();
      }),
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused && treeView.visible) connectedApplications.refreshIfStale();
      }),
    ),
    accountStatus,
    registerCommands({
      auth: authProvider,
      checkWithHq: (session) => checkSessionWithHq(settings().url, session.accessToken),
      apps: connectedApplications,
      settings,
      installStandaloneServer: () => standaloneServer.install(),
      output,
      logger: output,
    }),
    registerShowAvailableTools({
      rules: () => governance.rules,
      grantedScopes: async () => (await authProvider.currentSession())?.scopes,
      configuredScopes: () => settings().scopes,
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!affectsGovernance((section) => event.affectsConfiguration(section))) return;
      warnAboutGovernance();
      embeddedServer?.notifyToolsChanged();
    }),
    authProvider.onDidChangeSessions(() => {
      mcpProvider.sessionsChanged();
      connectedApplications.refresh();
      void accountStatus.update();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('lenses')) return;
      try {
        const before = await authProvider.currentSession();
        await authProvider.reconcile();
        if (before && !(await authProvider.currentSession())) void announceSetAside(before, settings().url, event.affectsConfiguration(SETTING.url));
        await mcpProvider.configurationChanged((section) => event.affectsConfiguration(section));
      } catch (error) {
        output.error(`Could not apply the new Lenses settings: ${error instanceof Error ? error.message : String(error)}`);
      }
      connectedApplications.refresh();
      void accountStatus.update();
    }),
  );
  void accountStatus.update();
  warnAboutGovernance();

  const activationMs = Math.round(performance.now() - began);
  output.info(`Activated in ${activationMs} ms`);
  return { authProvider, mcpProvider, embeddedServer, connectedApplications, activationMs };
}

/** One notification: a settings change set the session aside (it stays stored for the old HQ). */
async function announceSetAside(session: LensesSession, hqUrl: string, urlChanged: boolean): Promise<void> {
  await showSignInNeeded(describeSetAside(session, hqUrl, urlChanged));
}

/** Stops the embedded server (also disposed through the subscriptions; stopping twice is harmless). */
export async function deactivate(): Promise<void> {
  await embeddedServer?.dispose();
  embeddedServer = undefined;
}
