import { fingerprint, type Logger } from '../log';
import { notSignedIn, OAuthError, sessionEnded } from './errors';
import type { RefreshLeases } from './refreshLease';
import { isClientRejection } from './registration';
import type { SessionStore } from './sessionStore';
import { SingleFlight } from './singleFlight';
import type { TokenSet } from './tokens';
import type { OAuthSession } from './types';

/** Rounds of "another window holds the lease → wait → take over" before giving up for now. */
const MAX_LEASE_ROUNDS = 3;

/** What renewal needs from the OAuth client: the refresh-token grant (RFC 6749 §6) at the session's authorization server. */
export interface RefreshGrant {
  /** Discovers the session's authorization server, before the lease, so the lease covers only the refresh request. */
  prepare(session: OAuthSession): Promise<void>;
  /** Spends `refreshToken` at the token endpoint. */
  redeem(session: OAuthSession, refreshToken: string): Promise<TokenSet>;
  /** Revokes a refresh token that was issued but will not be kept (RFC 7009); never throws. */
  revokeUnused(session: OAuthSession, refreshToken: string): Promise<void>;
  /** The authorization server no longer knows the session's client: forget its registration. */
  forgetClient(issuer: string): Promise<void>;
}

export interface SessionRenewalOptions {
  store: SessionStore;
  leases: RefreshLeases;
  grant: RefreshGrant;
  logger: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** A session is renewed this long before it expires. */
  refreshMarginMs: number;
}

/**
 * Renews a session once, in this process (single-flight) and across windows sharing the
 * SecretStore: takes the token another window already stored, or refreshes under the lease
 * (refreshLease.ts), or waits for the window that holds it. HQ revokes the whole grant when a
 * rotated refresh token is used twice (CL-10); a refused refresh ends the session (CL-11).
 */
export class SessionRenewal {
  private readonly renewals = new SingleFlight<OAuthSession>();

  constructor(private readonly options: SessionRenewalOptions) {}

  /** True when the access token is valid beyond the refresh margin. */
  isFresh(session: OAuthSession): boolean {
    return session.expiresAt - this.options.now() > this.options.refreshMarginMs;
  }

  /** The renewed session; concurrent callers for the same session share one renewal. */
  renew(sessionId: string): Promise<OAuthSession> {
    return this.renewals.run(sessionId, () => this.renewOnce(sessionId));
  }

  private async renewOnce(sessionId: string): Promise<OAuthSession> {
    const { store, leases } = this.options;
    const seen = await store.get(sessionId);
    if (!seen) throw notSignedIn();
    if (this.isFresh(seen)) return seen; // refreshed meanwhile (another caller or window)
    if (!seen.refreshToken) return this.withoutRefreshToken(seen);
    await this.options.grant.prepare(seen);
    for (let round = 0; round < MAX_LEASE_ROUNDS; round++) {
      if (await leases.heldByOther(sessionId)) {
        const theirs = await this.awaitOtherWindow(sessionId, seen);
        if (theirs) return theirs;
        continue; // their lease ended without a renewed session (failed or died): take over
      }
      if (await leases.claim(sessionId)) {
        try {
          return await this.refreshHoldingLease(sessionId, seen);
        } finally {
          await leases.release(sessionId).catch(() => undefined);
        }
      }
    }
    throw renewingElsewhere();
  }

  /** True when `stored` is a newer, usable version of the session we saw expiring. */
  private renewed(stored: OAuthSession, seen: OAuthSession): boolean {
    return this.isFresh(stored) || (stored.accessToken !== seen.accessToken && stored.expiresAt > this.options.now());
  }

  private async withoutRefreshToken(session: OAuthSession): Promise<OAuthSession> {
    if (session.expiresAt > this.options.now()) return session;
    await this.options.store.remove(session.id);
    throw sessionEnded();
  }

  /** Polls for the session another window is renewing; undefined when its lease ends without one. */
  private async awaitOtherWindow(sessionId: string, seen: OAuthSession): Promise<OAuthSession | undefined> {
    const { leases, store, logger, now, sleep } = this.options;
    const { maxWaitMs, pollMs } = leases.timings;
    logger.debug(`OAuth: another window is renewing session ${sessionId}; waiting for it`);
    const deadline = now() + maxWaitMs;
    // bounded by count as well, should the clock not move
    for (let polls = Math.ceil(maxWaitMs / pollMs); polls > 0 && now() < deadline; polls--) {
      await sleep(pollMs);
      const stored = await store.get(sessionId);
      if (!stored) throw sessionEnded(); // the other window ended it (sign-out, invalid_grant)
      if (this.renewed(stored, seen)) {
        logger.info(`OAuth: session ${sessionId} was renewed by another window: token ${fingerprint(stored.accessToken)}`);
        return stored;
      }
      if (!(await leases.heldByOther(sessionId))) return undefined;
    }
    throw renewingElsewhere();
  }

  private async refreshHoldingLease(sessionId: string, seen: OAuthSession): Promise<OAuthSession> {
    const current = await this.options.store.get(sessionId);
    if (!current) throw notSignedIn();
    if (this.renewed(current, seen)) return current; // stored by a window just before we took the lease
    if (!current.refreshToken) return this.withoutRefreshToken(current);
    return this.redeem(current, current.refreshToken, false);
  }

  /** Spends the refresh token (we hold the lease) and stores the renewed session. */
  private async redeem(current: OAuthSession, refreshToken: string, retried: boolean): Promise<OAuthSession> {
    const { grant, store, logger } = this.options;
    let tokens: TokenSet;
    try {
      tokens = await grant.redeem(current, refreshToken);
    } catch (error) {
      if (!(error instanceof OAuthError) || error.code !== 'session_expired') throw error;
      if (!error.oauthError || (error.status !== undefined && error.status >= 500)) {
        throw new OAuthError('unreachable', 'Lenses HQ could not renew the session right now. Try again shortly.', {
          status: error.status,
          detail: error.detail,
          cause: error,
        });
      }
      return this.refused(current, refreshToken, error, retried);
    }
    const updated: OAuthSession = { ...current, ...tokens };
    const outcome = await store.replace(updated, refreshToken);
    if (outcome.kind === 'gone') {
      // signed out (perhaps in another window) while we refreshed: do not resurrect it
      logger.info(`OAuth: session ${current.id} was signed out during its refresh; dropping the new tokens`);
      if (tokens.refreshToken && tokens.refreshToken !== refreshToken) await grant.revokeUnused(updated, tokens.refreshToken);
      throw notSignedIn();
    }
    if (outcome.kind === 'newer') {
      logger.warn(
        `OAuth: another window stored newer tokens for session ${current.id} during its refresh; keeping theirs (token ${fingerprint(outcome.session.accessToken)})`,
      );
      return outcome.session;
    }
    const rotated = tokens.refreshToken !== refreshToken ? ', refresh token rotated' : '';
    logger.info(`OAuth: refreshed session ${current.id}: token ${fingerprint(current.accessToken)} → ${fingerprint(tokens.accessToken)}${rotated}`);
    return updated;
  }

  /**
   * HQ refused the refresh token (invalid_grant, rejected client). If another window
   * renewed the session meanwhile, its token is used (CL-10); otherwise the session is
   * over (CL-11): removed — only while it still holds the token that failed — no retry loop.
   */
  private async refused(failed: OAuthSession, refreshToken: string, error: OAuthError, retried: boolean): Promise<OAuthSession> {
    const { store, logger, now } = this.options;
    const stored = await store.get(failed.id);
    if (stored?.refreshToken && stored.refreshToken !== refreshToken) {
      if (stored.expiresAt > now()) {
        logger.info(`OAuth: session ${failed.id} was renewed by another window meanwhile: token ${fingerprint(stored.accessToken)}`);
        return stored;
      }
      if (!retried) return this.redeem(stored, stored.refreshToken, true);
    }
    await store.removeIf(failed.id, (session) => session.refreshToken === refreshToken);
    if (isClientRejection(error.oauthError)) await this.options.grant.forgetClient(failed.issuer);
    logger.warn(`OAuth: HQ refused to renew session ${failed.id} (${error.oauthError}); removed it`);
    throw sessionEnded(error.oauthError);
  }
}

function renewingElsewhere(): OAuthError {
  return new OAuthError('unreachable', 'Another VS Code window is renewing the Lenses session. Try again shortly.');
}
