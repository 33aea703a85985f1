import { randomUUID } from 'node:crypto';
import type * as oauth from 'oauth4webapi';
import { fingerprint, silentLogger, type Logger } from '../log';
import type { Scope } from '../scopes';
import { assertPkceS256, buildAuthorizationRequest, ClientRejectedError, validateCallback } from './authorization';
import { discoverAuthorizationServer, discoverResourceWith, issuerUrl, resourceIndicator } from './discovery';
import { OAuthError } from './errors';
import { openCallbackChannel } from './callbackChannel';
import type { LoopbackCallback } from './loopback';
import { ClientRegistry, isClientRejection, LOOPBACK_REDIRECT_URI, type RegisteredClient } from './registration';
import { SessionStore } from './sessionStore';
import { SingleFlight } from './singleFlight';
import { exchangeCode, introspectAccount, refreshTokens, revokeToken, type TokenSet } from './tokens';
import { assertSecureUrl, Transport } from './transport';
import type { LensesOAuthClientOptions, OAuthSession, RedirectStrategy, SignInOptions } from './types';

const BROWSER_TIMEOUT_MS = 5 * 60_000;
const NETWORK_TIMEOUT_MS = 30_000;
const REFRESH_MARGIN_MS = 60_000;

/**
 * The OAuth 2.1 client for Lenses HQ (on oauth4webapi): discovery, DCR, authorization
 * code + PKCE in the system browser, single-flight refresh, revocation. Sessions live in
 * the SecretStore only; logs carry token fingerprints only.
 */
export class LensesOAuthClient {
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly transport: Transport;
  private readonly store: SessionStore;
  private readonly registry: ClientRegistry;
  private readonly refreshes = new SingleFlight<OAuthSession>();
  private readonly metadata = new Map<string, oauth.AuthorizationServer>();
  private readonly refreshMarginMs: number;
  /** The sign-in in progress: a new one cancels it (one flow, one listener). */
  private pendingSignIn?: AbortController;

  constructor(private readonly options: LensesOAuthClientOptions) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.refreshMarginMs = options.refreshMarginMs ?? REFRESH_MARGIN_MS;
    this.transport = new Transport({
      fetch: options.fetch ?? fetch,
      timeoutMs: options.networkTimeoutMs ?? NETWORK_TIMEOUT_MS,
      allowInsecureHttp: options.allowInsecureHttp ?? false,
    });
    this.store = new SessionStore(options.secrets);
    this.registry = new ClientRegistry(options.secrets, this.transport, this.logger, options.clientName ?? 'Lenses MCP for VS Code', options.clientId);
  }

  /** Signs in through the browser and stores the session (granted scopes, account). */
  async signIn(options: SignInOptions): Promise<OAuthSession> {
    this.pendingSignIn?.abort();
    const flow = new AbortController();
    this.pendingSignIn = flow;
    try {
      return await this.signInOnce(options, options.signal ? AbortSignal.any([options.signal, flow.signal]) : flow.signal);
    } finally {
      if (this.pendingSignIn === flow) this.pendingSignIn = undefined;
    }
  }

  private async signInOnce(options: SignInOptions, signal: AbortSignal): Promise<OAuthSession> {
    const { as, resource } = await this.target(options, signal);
    assertPkceS256(as);
    const strategy: RedirectStrategy = options.redirect ?? { kind: 'loopback' };
    const redirectUris = strategy.kind === 'uri' ? [LOOPBACK_REDIRECT_URI, strategy.redirectUri] : [LOOPBACK_REDIRECT_URI];

    let client = await this.usableClient(as, redirectUris, signal);
    let tokens: TokenSet;
    try {
      tokens = await this.authorize(as, client, resource, options.scopes, strategy, options.timeoutMs ?? BROWSER_TIMEOUT_MS, signal);
    } catch (error) {
      // HQ forgot the cached client between our check and the flow: register again, once.
      if (client.method !== 'dcr' || !isRejectedClient(error)) throw error;
      this.logger.warn(`OAuth: HQ rejected client ${client.clientId}; registering again`);
      await this.registry.forget(as.issuer);
      client = await this.registry.register(as, redirectUris, signal);
      tokens = await this.authorize(as, client, resource, options.scopes, strategy, options.timeoutMs ?? BROWSER_TIMEOUT_MS, signal);
    }

    const account = await introspectAccount(this.transport, as, client.clientId, tokens.accessToken, this.logger, signal);
    const session: OAuthSession = {
      id: randomUUID(),
      issuer: as.issuer,
      clientId: client.clientId,
      resource,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
      scopes: tokens.scopes,
      account,
    };
    await this.store.put(session);
    const partial = tokens.scopes.length < options.scopes.length ? ` (asked for ${options.scopes.join(' ')})` : '';
    this.logger.info(`OAuth: signed in to ${as.issuer} as ${account.label} with scopes "${tokens.scopes.join(' ')}"${partial}; token ${fingerprint(tokens.accessToken)}, session ${session.id}`);
    return session;
  }

  /** The stored sessions; no network. */
  sessions(): Promise<OAuthSession[]> {
    return this.store.all();
  }

  /**
   * The session with an access token valid beyond the refresh margin, refreshed
   * single-flight (shared by concurrent callers). `session_expired` (session removed)
   * when HQ refuses the refresh.
   */
  async validSession(sessionId: string, signal?: AbortSignal): Promise<OAuthSession> {
    const session = await this.store.get(sessionId);
    if (!session) throw notSignedIn();
    if (this.isFresh(session)) return session;
    return abortable(this.refreshes.run(sessionId, () => this.refresh(sessionId)), signal);
  }

  /** Revokes the session's tokens at HQ (RFC 7009) and forgets it, even if HQ cannot be reached. */
  async signOut(sessionId: string): Promise<void> {
    const session = await this.store.get(sessionId);
    if (!session) return;
    try {
      const as = await this.metadataFor(session.issuer);
      if (session.refreshToken) await this.revokeQuietly(as, session, session.refreshToken, 'refresh_token');
      await this.revokeQuietly(as, session, session.accessToken, 'access_token');
    } catch (error) {
      this.logger.warn(`OAuth: could not revoke the tokens of session ${session.id}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await this.store.remove(sessionId);
    }
    this.logger.info(`OAuth: signed out ${session.account.label} from ${session.issuer} (session ${session.id})`);
  }

  /** Forgets a session without revoking (e.g. HQ already revoked it). */
  async forget(sessionId: string): Promise<void> {
    const removed = await this.store.remove(sessionId);
    if (removed) this.logger.info(`OAuth: forgot session ${sessionId} of ${removed.account.label}`);
  }

  private isFresh(session: OAuthSession): boolean {
    return session.expiresAt - this.now() > this.refreshMarginMs;
  }

  private async target(options: SignInOptions, signal?: AbortSignal): Promise<{ as: oauth.AuthorizationServer; resource: string }> {
    const allowInsecureHttp = this.options.allowInsecureHttp ?? false;
    if (options.mcpUrl) {
      const discovered = await discoverResourceWith(options.mcpUrl, this.transport, signal, this.logger, allowInsecureHttp);
      this.metadata.set(discovered.authorizationServer.issuer, discovered.authorizationServer);
      return { as: discovered.authorizationServer, resource: discovered.resource };
    }
    const url = issuerUrl(options.hqUrl);
    assertSecureUrl(url, allowInsecureHttp);
    const as = await discoverAuthorizationServer(url, this.transport, signal, this.logger);
    this.metadata.set(as.issuer, as);
    return { as, resource: resourceIndicator(url) };
  }

  private async metadataFor(issuer: string, signal?: AbortSignal): Promise<oauth.AuthorizationServer> {
    const known = this.metadata.get(issuer);
    if (known) return known;
    const as = await discoverAuthorizationServer(issuerUrl(issuer), this.transport, signal, this.logger);
    this.metadata.set(issuer, as);
    return as;
  }

  /** Configured client, or the cached DCR client if HQ still knows it, or a new registration. */
  private async usableClient(as: oauth.AuthorizationServer, redirectUris: string[], signal?: AbortSignal): Promise<RegisteredClient> {
    if (this.options.clientId) return this.registry.clientFor(as, redirectUris, signal);
    const cached = await this.registry.cached(as.issuer, redirectUris);
    if (cached) {
      if (await this.registry.stillKnown(as, cached, signal)) {
        this.logger.debug(`OAuth: using client ${cached.clientId} registered earlier with ${as.issuer}`);
        return cached;
      }
      this.logger.warn(`OAuth: HQ no longer knows client ${cached.clientId}; registering again`);
      await this.registry.forget(as.issuer);
    }
    return this.registry.register(as, redirectUris, signal);
  }

  /** One browser round trip: authorization request, callback, code exchange. */
  private async authorize(
    as: oauth.AuthorizationServer, client: RegisteredClient, resource: string, scopes: Scope[],
    strategy: RedirectStrategy, timeoutMs: number, signal?: AbortSignal,
  ): Promise<TokenSet> {
    const channel = await openCallbackChannel(strategy);
    try {
      const { redirectUri } = channel;
      const request = await buildAuthorizationRequest(as, client.clientId, redirectUri, scopes, resource);
      assertSecureUrl(request.url, this.options.allowInsecureHttp ?? false);

      const browser = new AbortController();
      const deadline = AbortSignal.timeout(timeoutMs);
      const joined = AbortSignal.any(signal ? [signal, deadline, browser.signal] : [deadline, browser.signal]);
      const arriving = channel.waitForCallback(joined);

      this.logger.info(`OAuth: opening the browser to sign in at ${as.issuer} (client ${client.clientId}, scopes "${scopes.join(' ')}", redirect ${redirectUri})`);
      // Not awaited before the callback: an opener may only return once the page is done.
      this.options.openBrowser(request.url.href).then(
        (opened) => { if (!opened) browser.abort(new OAuthError('browser_unavailable', 'Could not open the browser to sign in to Lenses.')); },
        () => browser.abort(new OAuthError('browser_unavailable', 'Could not open the browser to sign in to Lenses.')),
      );

      let callback: LoopbackCallback;
      try {
        callback = await raceSignal(arriving, joined);
      } catch (error) {
        if (signal?.aborted) throw new OAuthError('cancelled', 'Sign-in was cancelled.');
        if (deadline.aborted) throw new OAuthError('timed_out', `Sign-in was not completed in the browser within ${Math.round(timeoutMs / 1000)} s.`);
        if (browser.signal.aborted && browser.signal.reason instanceof OAuthError) throw browser.signal.reason;
        throw error;
      }
      this.logger.info('OAuth: received the authorization response');
      try {
        const params = validateCallback(as, client.clientId, callback.url, request.state);
        const tokens = await exchangeCode(this.transport, as, client.clientId, params, redirectUri, request.codeVerifier, resource, scopes, this.now, signal);
        callback.respond({ ok: true });
        return tokens;
      } catch (error) {
        callback.respond({ ok: false, message: error instanceof OAuthError ? error.message : 'Sign-in failed.' });
        if (error instanceof OAuthError) this.logger.warn(`OAuth: sign-in failed (${error.code}): ${error.message}${error.detail ? ` — ${error.detail}` : ''}`);
        throw error;
      }
    } finally {
      await channel.close();
    }
  }

  private async refresh(sessionId: string): Promise<OAuthSession> {
    const current = await this.store.get(sessionId);
    if (!current) throw notSignedIn();
    if (this.isFresh(current)) return current; // refreshed meanwhile (another caller or window)
    if (!current.refreshToken) {
      if (current.expiresAt > this.now()) return current;
      await this.store.remove(sessionId);
      throw expired();
    }
    const as = await this.metadataFor(current.issuer);
    let tokens: TokenSet;
    try {
      tokens = await refreshTokens(this.transport, as, current.clientId, current.refreshToken, current.resource, current.scopes, this.now);
    } catch (error) {
      if (!(error instanceof OAuthError) || error.code !== 'session_expired') throw error;
      if (!error.oauthError || (error.status !== undefined && error.status >= 500)) {
        throw new OAuthError('unreachable', 'Lenses HQ could not renew the session right now. Try again shortly.', { status: error.status, detail: error.detail });
      }
      // invalid_grant (revoked, rotated elsewhere) or a rejected client: the session is over, no retry.
      await this.store.remove(sessionId);
      if (isClientRejection(error.oauthError)) await this.registry.forget(current.issuer);
      this.logger.warn(`OAuth: HQ refused to renew session ${sessionId} (${error.oauthError}); removed it`);
      throw expired(error.oauthError);
    }
    const updated: OAuthSession = { ...current, ...tokens };
    await this.store.put(updated);
    const rotated = tokens.refreshToken !== current.refreshToken ? ', refresh token rotated' : '';
    this.logger.info(`OAuth: refreshed session ${sessionId}: token ${fingerprint(current.accessToken)} → ${fingerprint(tokens.accessToken)}${rotated}`);
    return updated;
  }

  private async revokeQuietly(as: oauth.AuthorizationServer, session: OAuthSession, token: string, hint: 'access_token' | 'refresh_token'): Promise<void> {
    try {
      await revokeToken(this.transport, as, session.clientId, token, hint);
      this.logger.info(`OAuth: revoked ${hint.replace('_', ' ')} ${fingerprint(token)}`);
    } catch (error) {
      this.logger.warn(`OAuth: could not revoke ${hint.replace('_', ' ')} ${fingerprint(token)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function isRejectedClient(error: unknown): boolean {
  return error instanceof ClientRejectedError || (error instanceof OAuthError && isClientRejection(error.oauthError));
}

function notSignedIn(): OAuthError {
  return new OAuthError('session_expired', 'You are not signed in to Lenses. Sign in again.');
}

function expired(oauthError?: string): OAuthError {
  return new OAuthError('session_expired', 'Your Lenses session has ended. Sign in again.', { oauthError });
}

/** Waits for a shared promise, giving up on this caller's abort only. */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return raceSignal(promise, signal).catch((error: unknown) => {
    if (signal.aborted) throw new OAuthError('cancelled', 'Cancelled.');
    throw error;
  });
}

function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}
