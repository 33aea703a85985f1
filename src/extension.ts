import * as vscode from 'vscode';
import { listAuthorizations, revokeAuthorization } from './lenses/connectedApps';
import { AccountStatus } from './vscode/account/accountStatus';
import { AccountViews } from './vscode/account/accountViews';
import { AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, type LensesAuthenticationProvider } from './vscode/account/authProvider';
import { registerShowAvailableTools } from './vscode/governance/availableTools';
import { BearerTrust } from './vscode/bearerTrust';
import { ClientSecret } from './vscode/account/clientSecret';
import { registerClientSecretCommand } from './vscode/account/clientSecretCommand';
import { CONNECTED_APPS_VIEW_ID } from './vscode/commandIds';
import { registerCommands } from './vscode/commands';
import { ConfiguredOAuthClient } from './vscode/account/configuredOAuthClient';
import type { ConnectedApplications } from './vscode/connectedApps/connectedAppsModel';
import { registerConnectedAppsView } from './vscode/connectedApps/connectedAppsView';
import { ensureSessionThroughVsCode, redirectForWindow, secretStoreOf, workspaceFileSystem } from './vscode/editorPlatform';
import { type EmbeddedServerController } from './vscode/mcp/embeddedServer';
import { buildExtension, type ExtensionParts } from './vscode/compositionRoot';
import { embeddedServerFactory } from './vscode/mcp/embeddedServerFactory';
import { EditorGovernance } from './vscode/governance/governanceSettings';
import { GovernanceWarnings } from './vscode/governance/governanceWarnings';
import { checkSessionWithHq } from './vscode/mcp/hqIntrospection';
import { type LensesMcpServerProvider, MCP_PROVIDER_ID } from './vscode/mcp/mcpProvider';
import { preloadServerChunk } from './vscode/mcp/mcpServerLoader';
import { oauthClientFactory } from './vscode/account/oauthClientFactory';
import { createRemoteMcpSessions } from './vscode/mcp/remoteMcpSessionsSetup';
import { EndedSessionNote } from './vscode/account/sessionEnd';
import { fanOutSessionChanges } from './vscode/account/sessionChangeFanOut';
import { announceSetAside } from './vscode/account/setAsideNotice';
import { readSettings, SettledLensesUrl, type LensesSettings } from './vscode/settings';
import { SettingsChangeHandler } from './vscode/settingsChangeHandler';
import { StandaloneServerCopy } from './vscode/mcp/standaloneServerCopy';
import { AuthCallbackHandler } from './vscode/account/uriCallback';
import { showSignInNeeded, showUserMessage, vscodeAuthUi, vscodeConnectedAppsUi } from './vscode/vscodeUi';

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

export function activate(context: vscode.ExtensionContext): LensesExtensionApi {
  const began = performance.now();
  const output = vscode.window.createOutputChannel('Lenses', { log: true });
  // lenses.url mid-edit (empty, not yet a URL, half typed) keeps the address in use (settingsChangeHandler.ts).
  const settledUrl = new SettledLensesUrl();
  const settings = () => settledUrl.settle(readSettings(vscode.workspace.getConfiguration()));
  // Read-only mode, tool filters, protected environments (lenses.mcp.*); audit lines go to the Lenses log.
  const governance = new EditorGovernance(() => vscode.workspace.getConfiguration(), output);
  const clientSecret = new ClientSecret(context.secrets, output);
  const oauth = new ConfiguredOAuthClient(oauthClientFactory(context.secrets, output), settings, () => clientSecret.current());

  const callbacks = new AuthCallbackHandler((reason) => output.warn(`Ignored a sign-in callback: ${reason}`));
  const mcpUrlChanged = () => void parts.mcpProvider.configurationChanged((section) => section === 'lenses.mcp.url');
  const trust = new BearerTrust(context.globalState, output, mcpUrlChanged);
  const redirect = () => redirectForWindow(context.extension.id, callbacks);
  const remoteSessions = createRemoteMcpSessions({ oauth, settings, trust, ui: vscodeAuthUi, redirect, logger: output, tokenChanged: mcpUrlChanged });
  const hqOptions = () => ({ bearerOrigins: trust.bearerOrigins, allowInsecureHttp: settings().allowInsecureHttp });

  const parts = buildExtension({
    oauth,
    settings,
    authUi: vscodeAuthUi,
    connectedAppsUi: vscodeConnectedAppsUi,
    redirect,
    secretsChanged: context.secrets.onDidChange,
    endedNote: new EndedSessionNote(secretStoreOf(context.secrets)),
    showSignInNeeded,
    startEmbeddedServer: embeddedServerFactory({
      logger: output,
      maxToolOutputChars: () => settings().maxToolOutputChars,
      governance: governance.governance,
    }),
    listAuthorizations: (hqUrl, token) => listAuthorizations(hqUrl, token, hqOptions()),
    revokeAuthorization: (hqUrl, token, id) => revokeAuthorization(hqUrl, token, id, hqOptions()),
    mcp: {
      ensureSession: () => ensureSessionThroughVsCode(AUTH_PROVIDER_ID, settings().scopes),
      remoteAccessToken: (mcpUrl) => remoteSessions.accessToken(mcpUrl),
      storedRemoteAccessToken: (mcpUrl) => remoteSessions.storedAccessToken(mcpUrl),
      createDefinition: (label, url, headers) => new vscode.McpHttpServerDefinition(label, vscode.Uri.parse(url), headers),
    },
    logger: output,
  });
  embeddedServer = parts.embeddedServer;
  context.subscriptions.push(output, oauth, clientSecret, registerClientSecretCommand(clientSecret), trust, vscode.window.registerUriHandler(callbacks));
  registerParts(context, parts, { output, settings, settledUrl, governance });
  preloadServerChunk(output);

  const activationMs = Math.round(performance.now() - began);
  output.info(`Activated in ${activationMs} ms`);
  const { authProvider, mcpProvider, connectedApplications } = parts;
  return { authProvider, mcpProvider, embeddedServer: parts.embeddedServer, connectedApplications, activationMs };
}

/** What registerParts reads besides the parts: the log, the settings and the governance. */
interface RegistrationDependencies {
  output: vscode.LogOutputChannel;
  settings: () => LensesSettings;
  settledUrl: SettledLensesUrl;
  governance: EditorGovernance;
}

/** Registers the parts with VS Code (providers, view, commands, status bar, the reactions to events); all disposed on deactivation. */
function registerParts(context: vscode.ExtensionContext, parts: ExtensionParts<vscode.McpHttpServerDefinition>, dependencies: RegistrationDependencies): void {
  const { authProvider, mcpProvider, embeddedServer: embedded, connectedApplications } = parts;
  const { output, settings, settledUrl, governance } = dependencies;
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
  const accountViews = new AccountViews(connectedApplications, accountStatus);
  const governanceWarnings = new GovernanceWarnings(
    governance,
    (warning) => void showUserMessage('warning', warning),
    () => embedded.notifyToolsChanged(),
  );
  const settingsChange = new SettingsChangeHandler({
    auth: authProvider,
    mcp: mcpProvider,
    views: accountViews,
    hqUrl: () => settings().url,
    acceptUrl: () => settledUrl.accept(readSettings(vscode.workspace.getConfiguration()).url),
    announceSetAside,
    logger: output,
  });

  context.subscriptions.push(
    vscode.Disposable.from(
      authProvider,
      vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, authProvider, { supportsMultipleAccounts: false }),
    ),
    vscode.Disposable.from(mcpProvider, vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, mcpProvider)),
    { dispose: () => void embedded.dispose() },
    registerConnectedAppsView(CONNECTED_APPS_VIEW_ID, connectedApplications),
    accountStatus,
    settingsChange,
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
    }),
    vscode.workspace.onDidChangeConfiguration((event) => governanceWarnings.configurationChanged((section) => event.affectsConfiguration(section))),
    fanOutSessionChanges(authProvider.onDidChangeSessions, mcpProvider, accountViews),
    vscode.workspace.onDidChangeConfiguration((event) => void settingsChange.configurationChanged((section) => event.affectsConfiguration(section))),
  );
  void accountStatus.update();
  governanceWarnings.reload();
}

/** Stops the embedded server (also disposed through the subscriptions; stopping twice is harmless). */
export async function deactivate(): Promise<void> {
  await embeddedServer?.dispose();
  embeddedServer = undefined;
}
