import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { fingerprint, silentLogger, type Logger } from '../../log';
import { parseScopes, type Scope } from '../../scopes';
import type { RequestAuthentication, RequestAuthenticator } from './authentication';
import { IntrospectionRefusedError, IntrospectionUnavailableError, type TokenIntrospector } from './introspection';

/** The editor's current Lenses session, as the embedded server needs it. */
export interface EmbeddedSession {
  accessToken: string;
  scopes: readonly Scope[];
  /**
   * The HQ base URL this token was issued for (the editor's `lenses.url` it was checked
   * against). The tools call this HQ, so a change of `lenses.url` needs no new server and the
   * token never goes to another HQ. Absent: the server's own `lensesUrl`.
   */
  hqUrl?: string;
  /** The signed-in account's name (from introspection `sub`/`username` at sign-in): audit records name it. */
  account?: string;
}

/** The introspector of an HQ (its `/oauth2/introspect`); one per HQ URL, so caches never mix. */
export type IntrospectorFor = (hqUrl: string | undefined) => Pick<TokenIntrospector, 'introspect' | 'evict'>;

/** Where the embedded server gets the session for each request (VS Code's auth provider). */
export interface SessionSource {
  /** Silent: never prompts. Refreshes ahead of expiry. undefined = signed out. */
  currentSession(): Promise<EmbeddedSession | undefined>;
  /** Scopes to list while signed out (the configured ones). */
  signedOutScopes(): readonly Scope[];
  /** A tool call was made without a session. */
  sessionLost(reason: string): void;
  /**
   * HQ no longer accepts the session holding `accessToken` (CL-19): introspection said
   * `active: false` (`inactive`), or HQ answered 401 to a call made with it
   * (`unauthorized`). The editor forgets that session. Never called when HQ could not be
   * reached: that keeps the session.
   */
  sessionRejected(accessToken: string, why: SessionRejection): void;
}

/** What showed that HQ no longer accepts a session. */
export type SessionRejection = 'inactive' | 'unauthorized';

/** The header VS Code sends with the per-launch link secret. */
export const LINK_SECRET_HEADER = 'x-lenses-link-secret';

export const SIGNED_OUT_MESSAGE = 'Sign in to Lenses again to use this tool: run "Lenses: Sign In" (or click "Sign In" in the notification), then retry.';

/**
 * Embedded mode (VS Code): the per-launch link secret proves the request comes from this
 * editor; the Lenses token comes from the editor's session on every request. Never answers
 * 401 for a missing session (VS Code would start its own OAuth dialog): it reports
 * `signed-out` and the tools say to sign in.
 */
export class EmbeddedAuthenticator implements RequestAuthenticator {
  private readonly secretDigest: Buffer;
  private readonly logger: Logger;
  /** The scopes of the last good session: what to keep listing while HQ is briefly unreachable. */
  private lastScopes: readonly Scope[] = [];

  /**
   * `introspector` (optional) validates the session's token with HQ (RFC 7662, cached), so a
   * grant revoked elsewhere (another window, HQ's UI) ends here too, and the tools listed
   * follow the scopes HQ holds for the token rather than what was stored at sign-in.
   */
  private readonly introspectorFor: IntrospectorFor | undefined;
  /** The introspectors asked so far: a 401 evicts the token from each (tokens differ per HQ). */
  private readonly asked = new Set<Pick<TokenIntrospector, 'introspect' | 'evict'>>();

  constructor(
    linkSecret: string,
    private readonly sessions: SessionSource,
    logger?: Logger,
    introspector?: Pick<TokenIntrospector, 'introspect' | 'evict'> | IntrospectorFor,
  ) {
    if (linkSecret.length < 16) throw new Error('The link secret must be at least 16 characters');
    this.secretDigest = digest(linkSecret);
    this.logger = logger ?? silentLogger;
    this.introspectorFor = introspector === undefined ? undefined : typeof introspector === 'function' ? introspector : () => introspector;
  }

  async authenticate(request: IncomingMessage): Promise<RequestAuthentication> {
    const sent = request.headers[LINK_SECRET_HEADER];
    // Constant-time compare of digests (equal lengths whatever was sent).
    if (typeof sent !== 'string' || !timingSafeEqual(digest(sent), this.secretDigest)) {
      return { kind: 'rejected', status: 403, message: 'This Lenses MCP server only serves the editor that started it.' };
    }
    let session: EmbeddedSession | undefined;
    try {
      session = await this.sessions.currentSession();
    } catch (error) {
      // The session is still stored (e.g. HQ unreachable during a refresh): keep the tools, say why calls fail.
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`Could not get the Lenses session: ${reason}`);
      return {
        kind: 'signed-out',
        reason: 'unavailable',
        scopes: new Set(this.lastScopes),
        message: `Lenses cannot be used right now: ${reason} Your sign-in is kept; retry in a moment.`,
      };
    }
    if (!session) return this.signedOut();
    let scopes: readonly Scope[] | undefined;
    try {
      scopes = await this.validatedScopes(session);
    } catch (error) {
      // HQ's setting, not the session: the introspector logged it once; every tool answer says what HQ needs.
      if (!(error instanceof IntrospectionRefusedError)) throw error;
      return {
        kind: 'signed-out',
        reason: 'unavailable',
        scopes: new Set(session.scopes),
        message: `Lenses cannot check your sign-in: ${error.message}. Then retry.`,
      };
    }
    if (!scopes) return this.signedOut();
    this.lastScopes = scopes;
    return {
      kind: 'granted',
      token: session.accessToken,
      scopes: new Set(scopes),
      ...(session.hqUrl ? { lensesUrl: session.hqUrl } : {}),
      ...(session.account ? { user: session.account } : {}),
    };
  }

  /** The scopes HQ holds for the session's token, or undefined when HQ says it is no longer active. */
  private async validatedScopes(session: EmbeddedSession): Promise<readonly Scope[] | undefined> {
    const introspector = this.introspectorFor?.(session.hqUrl);
    if (!introspector) return session.scopes;
    this.asked.add(introspector);
    try {
      const answer = await introspector.introspect(session.accessToken);
      if (!answer.active) {
        this.logger.warn(`Lenses says token ${fingerprint(session.accessToken)} is no longer active (revoked or expired)`);
        this.sessions.sessionRejected(session.accessToken, 'inactive');
        return undefined;
      }
      if (answer.scope === undefined) return session.scopes;
      const held = new Set(parseScopes(answer.scope));
      return session.scopes.filter((scope) => held.has(scope));
    } catch (error) {
      if (!(error instanceof IntrospectionUnavailableError) || error instanceof IntrospectionRefusedError) throw error;
      // HQ still checks the token on every forwarded call: keep serving with the stored scopes.
      this.logger.warn(`Could not validate token ${fingerprint(session.accessToken)} with Lenses (${error.message}); using the stored scopes`);
      return session.scopes;
    }
  }

  private signedOut(): RequestAuthentication {
    return { kind: 'signed-out', scopes: new Set(this.sessions.signedOutScopes()), message: SIGNED_OUT_MESSAGE };
  }

  /** A tool was called while signed out. */
  sessionLost(reason: string): void {
    this.sessions.sessionLost(reason);
  }

  tokenRejected(token: string): void {
    for (const introspector of this.asked) introspector.evict(token);
    this.sessions.sessionRejected(token, 'unauthorized');
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
