/** The OAuth 2.1 client core for Lenses HQ. No `vscode` import. */
export { LensesOAuthClient } from './client';
export { OAuthError, isOAuthError } from './errors';
export type { OAuthErrorCode, OAuthErrorDetails } from './errors';
export { discoverFromResource } from './discovery';
export type { DiscoveredResource, ResourceDiscoveryOptions } from './discovery';
export { SESSIONS_KEY } from './sessionStore';
export type { LensesOAuthClientOptions, OAuthSession, RedirectStrategy, SecretStore, SignInOptions } from './types';
