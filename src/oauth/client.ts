import { randomUUID } from 'node:crypto';
import { abortReason, errorMessage } from '../errors';
import type * as oauth from 'oauth4webapi';
import { fingerprint, silentLogger, type Logger } from '../log';
import { assertPkceS256, buildAuthorizationRequest, ClientRejectedError, validateCallback } from './authorization';
import { discoverAuthorizationServer, discoverResourceWith, issuerUrl, resourceIndicator, type DiscoveredResource } from './discovery';
import { notSignedIn, OAuthError } from './errors';
import { openCallbackChannel } from './callbackChannel';
import type { LoopbackCallback } from './loopback';
import { DEFAULT_LEASE_TIMINGS, realSleep, RefreshLeases, type RefreshCoordinationOptions } from './refreshLease';
import { ClientRegistry, isClientRejection, LOOPBACK_REDIRECT_URI, type RegisteredClient } from './registration';
import { selectScopes } from './scopeSelection';
import { SessionRenewal } from './sessionRenewal';
import { SessionStore } from './sessionStore';
import { exchangeCode, introspectAccount, refreshTokens, revokeToken, type TokenSet } from './tokens';
import { assertSecureUrl, Transport } from './transport';
import type { LensesOAuthClientOptions, OAuthSession, RedirectStrategy, SignInOptions } from './types';

const BROWSER_TIMEOUT_MS = 5 * 60_000;
const NETWORK_TIMEOUT_MS = 30_000;
const REFRESH_MARGIN_MS = 60_000;

/**
 * The OAuth 2.1 client for Lenses HQ (on oauth4webapi): discovery, DCR, authorization
 * code + PKCE in the system browser, refresh, revocation. Sessions live in the SecretStore
 * only; logs carry token fingerprints only. Refresh runs once per session across this
 * process and every window sharing the SecretStore (sessionRenewal.ts, CL-10).
 */
export class LensesOAuthClient {
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly transport: Transport;
  private readonly store: SessionStore;
  private readonly registry: ClientRegistry;
  private readonly metadata = new Map<string, oauth.AuthorizationServer>();
  private readonly renewal: SessionRenewal;
  /** The sign-in in progress: a new one cancels it (one flow, one listener). */
  private pendingSignIn?: AbortController;

  constructor(private readonly options: LensesOAuthClientOptions & RefreshCoordinationOptions) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    const sleep = options.sleep ?? realSleep;
    this.transport = new Transport({
      fetch: options.fetch ?? fetch,
      timeoutMs: options.networkTimeoutMs ?? NETWORK_TIMEOUT_MS,
      allowInsecureHttp: options.allowInsecureHttp ?? false,
    });
    this.store = new SessionStore(options.secrets, { sleep, verifyMs: options.storeVerifyMs });
    this.registry = new ClientRegistry({
      secrets: options.secrets,
      transport: this.transport,
      logger: this.logger,
      clientName: options.clientName ?? 'Lenses MCP for VS Code',
      configured: options.clientId ? { clientId: options.clientId, clientSecret: options.clientSecret || undefined, issuer: options.clientIssuer } : undefined,
      clientMetadataUrl: options.clientMetadataUrl || undefined,
      now: this.now,
    });
    // The lease must outlive the one refresh request it covers, or a waiting window could take over and spend the token again.
    const ttlMs = Math.max(DEFAULT_LEASE_TIMINGS.ttlMs, (options.networkTimeoutMs ?? NETWORK_TIMEOUT_MS) + 10_000);
    this.renewal = new SessionRenewal({
      store: this.store,
      leases: new RefreshLeases(options.secrets, this.now, sleep, { ...DEFAULT_LEASE_TIMINGS, ttlMs, ...options.refreshLease }),
      grant: {
        prepare: async (session) => {
          await this.metadataFor(session.issuer);
        },
        redeem: async (session, refreshToken) => {
          const as = await this.metadataFor(session.issuer);
          return refreshTokens(
            this.transport,
            as,
            await this.registry.tokenClient(as, session.clientId),
            refreshToken,
            session.resource,
            session.scopes,
            this.now,
          );
        },
        revokeUnused: async (session, refreshToken) => this.revokeQuietly(await this.metadataFor(session.issuer), session, refreshToken, 'refresh_token'),
        forgetClient: (issuer) => this.registry.forget(issuer),
      },
      logger: this.logger,
      now: this.now,
      sleep,
      refreshMarginMs: options.refreshMarginMs ?? REFRESH_MARGIN_MS,
    });
  }

  /** Ends a sign-in in progress (its listener closes, its caller gets `cancelled`): on deactivate or a new client. */
  dispose(): void {
    this.pendingSignIn?.abort();
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
    const { as, resource, discovered } = await this.target(options, signal);
    assertPkceS256(as);
    const scopes = selectScopes({
      explicit: options.scopes,
      challenge: discovered?.challenge,
      scopesSupported: discovered?.scopesSupported,
      held: options.heldScopes,
    });
    const strategy: RedirectStrategy = options.redirect ?? { kind: 'loopback' };
    const redirectUris = strategy.kind === 'uri' ? [LOOPBACK_REDIRECT_URI, strategy.redirectUri] : [LOOPBACK_REDIRECT_URI];

    let client = await this.usableClient(as, redirectUris, signal);
    await this.registry.tokenClient(as, client.clientId); // a secret the server cannot take fails here, before the browser opens
    let tokens: TokenSet;
    try {
      tokens = await this.authorize(as, client, resource, scopes, strategy, options.timeoutMs ?? BROWSER_TIMEOUT_MS, signal);
    } catch (error) {
      // HQ forgot the cached client between our check and the flow: register again, once.
      if (client.method !== 'dcr' || !isRejectedClient(error)) throw error;
      this.logger.warn(`OAuth: ${as.issuer} rejected client ${client.clientId}; registering again`);
      await this.registry.forget(as.issuer);
      client = await this.registry.register(as, redirectUris, signal);
      tokens = await this.authorize(as, client, resource, scopes, strategy, options.timeoutMs ?? BROWSER_TIMEOUT_MS, signal);
    }

    const account = await introspectAccount(this.transport, as, await this.registry.tokenClient(as, client.clientId), tokens.accessToken, this.logger, signal);
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
    const partial = scopes.some((scope) => !tokens.scopes.includes(scope)) ? ` (asked for "${scopes.join(' ')}")` : '';
    this.logger.info(
      `OAuth: signed in to ${as.issuer} as ${account.label} with scopes "${tokens.scopes.join(' ')}"${partial}; token ${fingerprint(tokens.accessToken)}, session ${session.id}`,
    );
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
    if (this.renewal.isFresh(session)) return session;
    return abortable(this.renewal.renew(sessionId), signal);
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
      this.logger.warn(`OAuth: could not revoke the tokens of session ${session.id}: ${errorMessage(error)}`);
    } finally {
      await this.store.remove(sessionId);
    }
    await this.forgetSecretAfterLastSession(session);
    this.logger.info(`OAuth: signed out ${session.account.label} from ${session.issuer} (session ${session.id})`);
  }

  /**
   * A confidential DCR client's secret goes with the last session that used it (CL-28): the
   * next sign-in registers anew. A public client's registration stays cached.
   */
  private async forgetSecretAfterLastSession(session: OAuthSession): Promise<void> {
    const others = await this.store.all();
    if (others.some((other) => other.issuer === session.issuer && other.clientId === session.clientId)) return;
    if (await this.registry.forgetConfidential(session.issuer, session.clientId)) {
      this.logger.info(`OAuth: forgot the confidential client ${session.clientId} of ${session.issuer} and its secret`);
    }
  }

  /** Forgets a session without revoking (e.g. HQ already revoked it). */
  async forget(sessionId: string): Promise<void> {
    const removed = await this.store.remove(sessionId);
    if (removed) this.logger.info(`OAuth: forgot session ${sessionId} of ${removed.account.label}`);
  }

  private async target(
    options: SignInOptions,
    signal?: AbortSignal,
  ): Promise<{ as: oauth.AuthorizationServer; resource: string; discovered?: DiscoveredResource }> {
    const allowInsecureHttp = this.options.allowInsecureHttp ?? false;
    if (options.mcpUrl) {
      const discovered = await discoverResourceWith(options.mcpUrl, this.transport, {
        signal,
        logger: this.logger,
        allowInsecureHttp,
        challenge: options.challenge,
      });
      this.metadata.set(discovered.authorizationServer.issuer, discovered.authorizationServer);
      return { as: discovered.authorizationServer, resource: discovered.resource, discovered };
    }
    const url = issuerUrl(options.hqUrl);
    assertSecureUrl(url, allowInsecureHttp);
    const as = await discoverAuthorizationServer(resourceIndicator(url), this.transport, signal, this.logger);
    this.metadata.set(as.issuer, as);
    return { as, resource: resourceIndicator(url) };
  }

  private async metadataFor(issuer: string, signal?: AbortSignal): Promise<oauth.AuthorizationServer> {
    const known = this.metadata.get(issuer);
    if (known) return known;
    // the issuer exactly as the session recorded it (the metadata must name it identically)
    const as = await discoverAuthorizationServer(issuer, this.transport, signal, this.logger);
    this.metadata.set(issuer, as);
    return as;
  }

  /**
   * The client for this authorization server, in the MCP spec's order: the pre-registered
   * one (only with its own issuer), a Client ID Metadata Document when the server takes
   * one, the DCR client cached for this very issuer if it is still known, a new DCR.
   */
  private async usableClient(as: oauth.AuthorizationServer, redirectUris: string[], signal?: AbortSignal): Promise<RegisteredClient> {
    const configured = this.registry.configuredFor(as.issuer);
    if (configured) {
      this.logger.debug(`OAuth: using the configured client ${configured.clientId} with ${as.issuer}${configured.clientSecret ? ' (confidential)' : ''}`);
      return { clientId: configured.clientId, redirectUris, method: 'configured' };
    }
    if (this.options.clientId)
      this.logger.info(
        `OAuth: the configured client ${this.options.clientId} belongs to ${this.options.clientIssuer ?? 'another issuer'}, not ${as.issuer}: not using it there`,
      );
    const document = this.registry.metadataDocumentClient(as, redirectUris);
    if (document) {
      this.logger.info(`OAuth: using the client metadata document ${document.clientId} as client ID with ${as.issuer}`);
      return document;
    }
    const cached = await this.registry.cached(as.issuer, redirectUris);
    if (cached) {
      if (await this.registry.stillKnown(as, cached, signal)) {
        this.logger.debug(`OAuth: using client ${cached.clientId} registered earlier with ${as.issuer}`);
        return cached;
      }
      this.logger.warn(`OAuth: ${as.issuer} no longer knows client ${cached.clientId}; registering again`);
      await this.registry.forget(as.issuer);
    }
    return this.registry.register(as, redirectUris, signal);
  }

  /** One browser round trip: authorization request, callback, code exchange. */
  private async authorize(
    as: oauth.AuthorizationServer,
    client: RegisteredClient,
    resource: string,
    scopes: readonly string[],
    strategy: RedirectStrategy,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<TokenSet> {
    let ignored = 0;
    const channel = await openCallbackChannel(strategy, () => {
      ignored++;
      this.logger.warn('OAuth: ignored a sign-in callback with a wrong or missing state; still waiting for the real one');
    });
    try {
      const { redirectUri } = channel;
      const request = await buildAuthorizationRequest(as, client.clientId, redirectUri, scopes, resource);
      assertSecureUrl(request.url, this.options.allowInsecureHttp ?? false);

      const browser = new AbortController();
      const deadline = AbortSignal.timeout(timeoutMs);
      const joined = AbortSignal.any(signal ? [signal, deadline, browser.signal] : [deadline, browser.signal]);
      const arriving = channel.waitForCallback(joined, request.state);

      this.logger.info(
        `OAuth: opening the browser to sign in at ${as.issuer} (client ${client.clientId}, ${scopes.length > 0 ? `scopes "${scopes.join(' ')}"` : 'no scope asked'}, redirect ${redirectUri})`,
      );
      // Not awaited before the callback: an opener may only return once the page is done.
      this.options.openBrowser(request.url.href).then(
        (opened) => {
          if (!opened) browser.abort(new OAuthError('browser_unavailable', 'Could not open the browser to sign in to Lenses.'));
        },
        () => browser.abort(new OAuthError('browser_unavailable', 'Could not open the browser to sign in to Lenses.')),
      );

      let callback: LoopbackCallback;
      try {
        callback = await raceSignal(arriving, joined);
      } catch (error) {
        if (signal?.aborted) throw new OAuthError('cancelled', 'Sign-in was cancelled.');
        if (deadline.aborted && ignored > 0) {
          throw new OAuthError(
            'state_mismatch',
            `Sign-in was not completed within ${Math.round(timeoutMs / 1000)} s. ${ignored === 1 ? 'A sign-in response' : `${ignored} sign-in responses`} that did not belong to this sign-in (state mismatch) ${ignored === 1 ? 'was' : 'were'} ignored; nothing was exchanged. Try again.`,
          );
        }
        if (deadline.aborted) throw new OAuthError('timed_out', `Sign-in was not completed in the browser within ${Math.round(timeoutMs / 1000)} s.`);
        if (browser.signal.aborted && browser.signal.reason instanceof OAuthError) throw browser.signal.reason;
        throw error;
      }
      this.logger.info('OAuth: received the authorization response');
      try {
        const params = validateCallback(as, client.clientId, callback.url, request.state);
        const tokens = await exchangeCode(
          this.transport,
          as,
          await this.registry.tokenClient(as, client.clientId),
          params,
          redirectUri,
          request.codeVerifier,
          resource,
          scopes,
          this.now,
          signal,
        );
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

  private async revokeQuietly(as: oauth.AuthorizationServer, session: OAuthSession, token: string, hint: 'access_token' | 'refresh_token'): Promise<void> {
    try {
      await revokeToken(this.transport, as, await this.registry.tokenClient(as, session.clientId), token, hint);
      this.logger.info(`OAuth: revoked ${hint.replace('_', ' ')} ${fingerprint(token)}`);
    } catch (error) {
      this.logger.warn(`OAuth: could not revoke ${hint.replace('_', ' ')} ${fingerprint(token)}: ${errorMessage(error)}`);
    }
  }
}

function isRejectedClient(error: unknown): boolean {
  return error instanceof ClientRejectedError || (error instanceof OAuthError && isClientRejection(error.oauthError));
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
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
