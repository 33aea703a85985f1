import type * as vscode from 'vscode';
import type { Logger } from '../../log';
import { LensesOAuthClient } from '../../oauth';
import type { CoreOAuthClient } from './configuredOAuthClient';
import { openInBrowser, secretStoreOf } from '../editorPlatform';
import { hqResource } from './sessionResources';
import type { LensesSettings } from '../settings';

/** Builds the core OAuth client for the current settings, over VS Code's SecretStorage and the system browser. */
export function oauthClientFactory(
  secrets: vscode.SecretStorage,
  logger: Logger,
): (current: LensesSettings, clientSecret: string | undefined) => CoreOAuthClient {
  return (current, secret) =>
    new LensesOAuthClient({
      secrets: secretStoreOf(secrets),
      logger,
      openBrowser: async (url) => openInBrowser(url),
      clientId: current.clientId || undefined,
      // lenses.oauth.clientSecret lives in SecretStorage only; the client ID is bound to the HQ of lenses.url
      clientSecret: current.clientId ? secret : undefined,
      clientIssuer: hqResource(current.url),
      clientMetadataUrl: current.clientMetadataUrl || undefined,
      allowInsecureHttp: current.allowInsecureHttp,
    });
}
