import type * as vscode from 'vscode';
import type { Logger } from '../log';
import { LensesAuthenticationProvider, type AuthProviderDependencies } from './account/authProvider';
import type { ConfiguredOAuthClient } from './account/configuredOAuthClient';
import type { EndedSessionNote } from './account/sessionEnd';
import { isHqSession } from './account/sessionResources';
import { EditorSessionSource } from './account/sessionSource';
import { ConnectedApplications, type ConnectedAppsDependencies, type ConnectedAppsUi } from './connectedApps/connectedAppsModel';
import { EmbeddedServerController, type StartEmbeddedServer } from './mcp/embeddedServer';
import { LensesMcpServerProvider, type McpProviderDependencies } from './mcp/mcpProvider';
import type { LensesSettings } from './settings';

/**
 * What the editor's parts are built from. Everything that needs the `vscode` runtime or the
 * network comes in here, behind a small interface, so the integration tests build the same
 * parts with fakes of the window and the real OAuth core and emulator.
 */
/** `D`: the MCP server definition VS Code gets (`vscode.McpHttpServerDefinition`; plain data in the tests). */
export interface ExtensionDependencies<D> {
  oauth: ConfiguredOAuthClient;
  settings: () => LensesSettings;
  authUi: AuthProviderDependencies['ui'];
  connectedAppsUi: ConnectedAppsUi;
  /** The sign-in redirect of this window (undefined: the loopback one). */
  redirect: AuthProviderDependencies['redirect'];
  secretsChanged: vscode.Event<unknown>;
  endedNote: EndedSessionNote;
  /** A warning with "Sign In" (a tool called while signed out). */
  showSignInNeeded: (text: string) => Promise<void>;
  /** Also told when HQ ended a session, after the MCP side heard it. */
  sessionEnded?: AuthProviderDependencies['sessionEnded'];
  startEmbeddedServer: StartEmbeddedServer;
  /** HQ's connected-applications calls, with the editor's bearer rule applied. */
  listAuthorizations: ConnectedAppsDependencies['list'];
  revokeAuthorization: ConnectedAppsDependencies['revoke'];
  /** What the MCP provider needs of VS Code and of the remote MCP sessions. */
  mcp: Pick<McpProviderDependencies<D>, 'ensureSession' | 'remoteAccessToken' | 'storedRemoteAccessToken' | 'createDefinition'>;
  logger: Logger;
}

/** The parts `activate()` registers with VS Code. */
export interface ExtensionParts<D> {
  authProvider: LensesAuthenticationProvider;
  sessionSource: EditorSessionSource;
  embeddedServer: EmbeddedServerController;
  mcpProvider: LensesMcpServerProvider<D>;
  connectedApplications: ConnectedApplications;
}

/** The composition root: builds the editor's parts and wires each to the others. */
export function buildExtension<D>(dependencies: ExtensionDependencies<D>): ExtensionParts<D> {
  const { oauth, settings, logger } = dependencies;
  const authProvider = new LensesAuthenticationProvider({
    oauth,
    settings,
    ui: dependencies.authUi,
    redirect: dependencies.redirect,
    secretsChanged: dependencies.secretsChanged,
    accepts: (session) => isHqSession(session, settings().url),
    sessionEnded: (ended) => {
      sessionSource.sessionEnded(ended);
      dependencies.sessionEnded?.(ended);
    },
    endedNote: dependencies.endedNote,
    logger,
  });
  const sessionSource = new EditorSessionSource({
    validCurrentSession: () => authProvider.validCurrentSession(),
    hqUrl: () => settings().url,
    endSession: (cause, token) => authProvider.endSession(cause, token),
    showSignInNeeded: dependencies.showSignInNeeded,
    logger,
  });
  const embeddedServer = new EmbeddedServerController(dependencies.startEmbeddedServer, sessionSource, logger);
  const mcpProvider = new LensesMcpServerProvider<D>({
    ...dependencies.mcp,
    settings,
    server: embeddedServer,
    hasSession: async () => (await authProvider.currentSession()) !== undefined,
    logger,
  });
  const connectedApplications = new ConnectedApplications({
    currentSession: () => authProvider.validCurrentSession(),
    hqUrl: () => settings().url,
    list: dependencies.listAuthorizations,
    revoke: dependencies.revokeAuthorization,
    forgetSession: (id) => authProvider.forgetSession(id),
    endSession: (cause, token) => authProvider.endSession(cause, token),
    ui: dependencies.connectedAppsUi,
    logger,
  });
  return { authProvider, sessionSource, embeddedServer, mcpProvider, connectedApplications };
}
