import type { Scope } from '../scopes';
import type { RequestAuthentication } from './auth/authentication';

/** What the tools may do for one request. */
export type ToolAccess =
  | {
      kind: 'granted';
      token: string;
      scopes: ReadonlySet<Scope>;
      /** Whose credential it is (for the audit trail): OAuth `sub`/`username`, or the editor session's account. */
      user?: string;
      /** The HQ the token is for, when not the server's own (embedded mode). */
      lensesUrl?: string;
    }
  /** Embedded mode without a session: list the tools of `scopes`, answer calls with `message`. */
  | Extract<RequestAuthentication, { kind: 'signed-out' }>;
