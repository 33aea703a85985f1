/**
 * Test helpers for every room: start the HQ emulator, get tokens the way a user
 * would (headless, over HTTP), or complete a sign-in someone else started.
 */
export { startHq } from '../server';
export type { HqOptions, RunningHq } from '../server';
export { obtainTokens, registerClient } from './obtainTokens';
export type { ObtainTokensOptions, ObtainedTokens } from './obtainTokens';
export { completeAuthorizationInBrowserless } from './browserless';
export type { BrowserlessOptions } from './browserless';
export { CookieJar } from './cookieJar';
export { createPkce } from './pkce';
export { postForm } from './forms';
export type { JsonAnswer } from './forms';
