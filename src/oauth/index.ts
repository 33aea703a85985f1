/** The OAuth 2.1 client core for Lenses HQ. No `vscode` import. */
export { LensesOAuthClient } from './client';
export { OAuthError, isOAuthError } from './errors';
export type { OAuthErrorCode, OAuthErrorDetails } from './errors';
export { discoverFromResource } from './discovery';
export type { DiscoveredResource, ResourceDiscoveryOptions } from './discovery';
export { SESSIONS_KEY } from './sessionStore';
export type { LensesOAuthClientOptions, OAuthSession, RedirectStrategy, SecretStore, SignInOptions } from './types';
export { parseBearerChallenge } from './challenge';
export type { BearerChallenge } from './challenge';
export { selectScopes, unionScopes } from './scopeSelection';
export { StepUpAttempts } from './stepUp';
export type { StepUpPlan } from './stepUp';
export { probeResource } from './resourceProbe';
export type { ResourceProbeAnswer, ResourceProbeOptions } from './resourceProbe';
export { clientMetadataUrlProblem } from './registration';
export type { RegistrationMethod } from './registration';
