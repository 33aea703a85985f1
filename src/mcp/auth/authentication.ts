import type { IncomingMessage } from 'node:http';
import type { Scope } from '../../scopes';

/**
 * What a request to the MCP endpoint is allowed to do. One authenticator per mode
 * (OAuth resource server, API key, embedded in VS Code); the tools never know which.
 */
export type RequestAuthentication =
  /** A validated Lenses credential: forwarded to HQ as `Authorization: Bearer <token>`. */
  | {
      kind: 'granted';
      token: string;
      scopes: ReadonlySet<Scope>;
      subject?: string;
      /** Whose credential it is, for the audit trail, when not `subject` (the editor session's account). */
      user?: string;
      /** Embedded mode: the HQ this token was issued for; tools call it instead of the server's `lensesUrl` (it follows `lenses.url`). */
      lensesUrl?: string;
    }
  /**
   * Embedded mode only: no Lenses session can be had right now. The server still answers
   * (never 401/403, which would start VS Code's own OAuth dialog): it lists the tools of
   * `scopes` and every tool call returns `message` as an `isError` result.
   */
  | {
      kind: 'signed-out';
      scopes: ReadonlySet<Scope>;
      message: string;
      /** `unavailable`: the session is kept but cannot be used right now (HQ unreachable): no "session ended" notice. */
      reason?: 'signed-out' | 'unavailable';
    }
  /** The request is refused at the HTTP layer with this status, headers and message. */
  | { kind: 'rejected'; status: number; headers?: Record<string, string>; message: string };

export interface RequestAuthenticator {
  /** Decides what one HTTP request may do. Never throws for a bad credential: returns `rejected`. */
  authenticate(request: IncomingMessage): Promise<RequestAuthentication>;
  /**
   * How a tools/call for a tool whose scope the token lacks is answered.
   * `challenge` (OAuth mode): HTTP 403 with the returned headers (RFC 6750 insufficient_scope).
   * Absent (API-key and embedded modes): a tool error result.
   */
  insufficientScope?(held: ReadonlySet<Scope>, needed: Scope): { status: number; headers: Record<string, string>; message: string };
  /** HQ answered 401 to a call made with `token`: drop any cached validation of it. */
  tokenRejected?(token: string): void;
  /** Embedded mode: a tool was called while `signed-out` (the editor offers to sign in). */
  sessionLost?(reason: string): void;
  /** Whose credential goes to HQ: `api-key` makes an HQ 401 say "check LENSES_API_KEY" (default: a user's session). */
  readonly credential?: 'session' | 'api-key';
}
