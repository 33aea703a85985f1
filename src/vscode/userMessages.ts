import { LensesApiError, LensesConnectionError } from '../lenses/errors';
import type { Scope } from '../scopes';
import { isOAuthError, type OAuthErrorCode } from '../oauth';
import { originOf, SETTING } from './settings';

/** What a notification button does. */
export type MessageAction = 'showLogs' | 'openSettings' | 'signIn' | 'changeScopes';

/** One short message a user can act on; the full error goes to the log. */
export interface UserMessage {
  text: string;
  actions: MessageAction[];
  /** The setting "Open Settings" opens. */
  setting?: string;
}

/** Thrown when the user backs out (closed a prompt, pressed Cancel): never shown. */
export class SignInCancelledError extends Error {
  override readonly name = 'SignInCancelledError';
  constructor() {
    super('Sign-in was cancelled');
  }
}

/** `lenses.url` is not an http(s) URL: said before any network, never as a discovery failure. */
export class InvalidLensesUrlError extends Error {
  override readonly name = 'InvalidLensesUrlError';
}

const SHOW_LOGS: MessageAction[] = ['showLogs'];
const SETTINGS_AND_LOGS: MessageAction[] = ['openSettings', 'showLogs'];

/**
 * OAuthError codes (src/oauth) → what the user reads: the only place sign-in errors become
 * text. `undefined` = silent (the user cancelled). Exhaustive, so a new code fails to compile.
 */
const SIGN_IN_MESSAGES: Record<OAuthErrorCode, UserMessage | undefined> = {
  unreachable: unreachable(''), // with the origin: describeSignInError
  discovery_failed: {
    text: 'Lenses HQ did not publish its OAuth configuration at this URL. Check the lenses.url setting.',
    actions: SETTINGS_AND_LOGS,
    setting: SETTING.url,
  },
  issuer_mismatch: {
    text: 'Lenses HQ announced a different issuer than lenses.url, so sign-in was stopped. Check the lenses.url setting.',
    actions: SETTINGS_AND_LOGS,
    setting: SETTING.url,
  },
  pkce_unsupported: { text: 'Lenses HQ does not support PKCE (S256), so VS Code cannot sign in safely.', actions: SHOW_LOGS },
  dcr_unavailable: {
    text: 'Lenses HQ has Dynamic Client Registration turned off. Ask your Lenses admin for a client ID and set it in lenses.oauth.clientId.',
    actions: SETTINGS_AND_LOGS,
    setting: SETTING.clientId,
  },
  registration_failed: {
    text: 'Lenses HQ refused to register VS Code as an OAuth client. Set a pre-registered client ID in lenses.oauth.clientId.',
    actions: SETTINGS_AND_LOGS,
    setting: SETTING.clientId,
  },
  state_mismatch: { text: 'Sign-in was stopped: the browser answer did not match this sign-in. Try again.', actions: SHOW_LOGS },
  iss_mismatch: { text: 'Sign-in was stopped: the answer came from a different authorization server. Try again.', actions: SHOW_LOGS },
  access_denied: { text: 'Sign-in was cancelled: access to Lenses was not granted.', actions: SHOW_LOGS },
  authorization_failed: { text: 'Lenses HQ refused the sign-in. See the logs for details.', actions: SHOW_LOGS },
  browser_unavailable: { text: 'Could not open the browser to sign in to Lenses.', actions: SHOW_LOGS },
  timed_out: { text: 'Sign-in timed out after 5 minutes without an answer from the browser. Sign in again to retry.', actions: ['signIn', 'showLogs'] },
  cancelled: undefined,
  token_exchange_failed: { text: 'Lenses HQ refused to issue tokens for this sign-in. Try again.', actions: SHOW_LOGS },
  session_expired: { text: 'Your Lenses session has ended. Sign in again to keep using Lenses tools.', actions: ['signIn'] },
  insecure_http: {
    text: 'Lenses HQ uses plain http:// on a non-local address, which would expose your tokens. Use https://, or allow it with lenses.allowInsecureHttp.',
    actions: SETTINGS_AND_LOGS,
    setting: SETTING.allowInsecureHttp,
  },
};

/**
 * The message to show for a failed sign-in, or undefined when it must stay silent
 * (the user cancelled).
 */
export function describeSignInError(error: unknown, hqUrl = ''): UserMessage | undefined {
  if (isCancellation(error)) return undefined;
  if (error instanceof InvalidLensesUrlError)
    return { text: `\`lenses.url\` is not a valid URL: ${error.message}.`, actions: ['openSettings'], setting: SETTING.url };
  if (isOAuthError(error, 'unreachable') || error instanceof LensesConnectionError) return unreachable(hqUrl);
  if (isOAuthError(error)) return SIGN_IN_MESSAGES[error.code];
  return { text: 'Could not sign in to Lenses. See the logs for details.', actions: SHOW_LOGS };
}

/** "Could not reach Lenses HQ at <origin>…": every such message names the origin it tried. */
function unreachable(hqUrl: string): UserMessage {
  const where = hqUrl ? ` at ${originOf(hqUrl)}` : '';
  return {
    text: `Could not reach Lenses HQ${where}. Check the lenses.url setting and your network, then sign in again.`,
    actions: SETTINGS_AND_LOGS,
    setting: SETTING.url,
  };
}

/** The message for a failed call to HQ outside sign-in (e.g. the applications list); `hqUrl` is the HQ it asked. */
export function describeLensesError(error: unknown, doing: string, hqUrl = ''): UserMessage {
  if (error instanceof LensesApiError && error.isUnauthorized) {
    return { text: `Could not ${doing}: Lenses HQ no longer accepts your session. Sign in again.`, actions: ['signIn', 'showLogs'] };
  }
  if (error instanceof LensesConnectionError) {
    const where = hqUrl ? `Lenses HQ at ${originOf(hqUrl)}` : 'Lenses HQ';
    return { text: `Could not ${doing}: ${where} could not be reached. Check your network and lenses.url, then retry.`, actions: SHOW_LOGS };
  }
  if (error instanceof LensesApiError) {
    return { text: `Could not ${doing}: ${error.message}`, actions: SHOW_LOGS };
  }
  return { text: `Could not ${doing}. See the logs for details.`, actions: SHOW_LOGS };
}

/** True for a user's cancellation (our own, an AbortError, or a cancelled/aborted code). */
export function isCancellation(error: unknown): boolean {
  if (error instanceof SignInCancelledError) return true;
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'Canceled')) return true;
  return isOAuthError(error, 'cancelled');
}

/**
 * The note shown after a successful sign-in that granted fewer scopes than asked (CL-09),
 * or undefined when everything asked was granted. Its one advice is the one the status-bar
 * menu and the README give: Change Granted Scopes…
 */
export function describeScopeShortfall(asked: readonly Scope[], granted: readonly Scope[]): UserMessage | undefined {
  const missing = asked.filter((scope) => !granted.includes(scope));
  if (missing.length === 0) return undefined;
  const held = granted.length > 0 ? granted.join(', ') : 'none';
  return {
    text: `Signed in to Lenses with ${held} access. Not granted: ${missing.join(', ')} — tools that need it stay hidden. To ask for it, use Change Granted Scopes…`,
    actions: ['changeScopes'],
  };
}

/**
 * The one notification after a settings change set the session aside: `lenses.url` now
 * points elsewhere (`urlChanged`), or the OAuth settings changed. The session stays stored
 * for its own HQ, in case the user switches back.
 */
export function describeSetAside(session: { account: { label: string }; issuer: string }, hqUrl: string, urlChanged: boolean): string {
  const why = urlChanged ? `lenses.url now points at ${hqUrl ? originOf(hqUrl) : 'no Lenses HQ'}` : 'the Lenses OAuth settings changed';
  const where = urlChanged && hqUrl ? ` with ${originOf(hqUrl)}` : '';
  return `${why}: the session of ${session.account.label} for ${originOf(session.issuer)} was set aside. Sign in to use the Lenses tools${where}.`;
}
