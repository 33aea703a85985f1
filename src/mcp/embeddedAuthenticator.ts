import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { silentLogger, type Logger } from '../log';
import type { Scope } from '../scopes';
import type { RequestAuthentication, RequestAuthenticator } from './authentication';

/** The editor's current Lenses session, as the embedded server needs it. */
export interface EmbeddedSession {
  accessToken: string;
  scopes: readonly Scope[];
}

/** Where the embedded server gets the session for each request (VS Code's auth provider). */
export interface SessionSource {
  /** Silent: never prompts. Refreshes ahead of expiry. undefined = signed out. */
  currentSession(): Promise<EmbeddedSession | undefined>;
  /** Scopes to list while signed out (the configured ones). */
  signedOutScopes(): readonly Scope[];
  /** A tool call was made without a session, or HQ rejected the token. */
  sessionLost(reason: string): void;
}

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

  constructor(linkSecret: string, private readonly sessions: SessionSource, logger?: Logger) {
    if (linkSecret.length < 16) throw new Error('The link secret must be at least 16 characters');
    this.secretDigest = digest(linkSecret);
    this.logger = logger ?? silentLogger;
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
      this.logger.warn(`Could not get the Lenses session: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!session) return { kind: 'signed-out', scopes: new Set(this.sessions.signedOutScopes()), message: SIGNED_OUT_MESSAGE };
    return { kind: 'granted', token: session.accessToken, scopes: new Set(session.scopes) };
  }

  /** A tool was called while signed out. */
  sessionLost(reason: string): void {
    this.sessions.sessionLost(reason);
  }

  tokenRejected(): void {
    this.sessions.sessionLost('Lenses rejected the session token');
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
