import type { Logger } from '../log';
import type { Scope } from '../scopes';

/** Where sessions and registered clients live: VS Code's SecretStorage fits as is. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** One signed-in Lenses account, as kept in the SecretStore. */
export interface OAuthSession {
  /** Stable per sign-in (random). */
  id: string;
  issuer: string;
  clientId: string;
  /** RFC 8707 resource the tokens are for. */
  resource: string;
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms. */
  expiresAt: number;
  /** GRANTED scopes (often fewer than asked). */
  scopes: Scope[];
  /** From introspection `sub` / `username`; "Lenses user" when unavailable. */
  account: { id: string; label: string };
}

/** How the authorization response comes back to us. */
export type RedirectStrategy =
  /** One-shot listener on 127.0.0.1:<ephemeral> (RFC 8252 §7.3). */
  | { kind: 'loopback' }
  /**
   * A vscode:// UriHandler (remote windows): the caller delivers the callback URL whose
   * `state` is `expectedState`, ignoring others (CL-18).
   */
  | { kind: 'uri'; redirectUri: string; waitForCallback(signal: AbortSignal, expectedState: string): Promise<URL> };

export interface SignInOptions {
  /** The Lenses HQ URL: discovery starts here and it is the RFC 8707 resource. */
  hqUrl: string;
  /**
   * Addition: sign in for a remote MCP server instead. Discovery starts at its RFC 9728
   * metadata, the resource is the MCP server's, and `hqUrl` is not used.
   */
  mcpUrl?: string;
  scopes: Scope[];
  signal?: AbortSignal;
  /** Default loopback. */
  redirect?: RedirectStrategy;
  /** The browser step's timeout; default 5 minutes. */
  timeoutMs?: number;
}

export interface LensesOAuthClientOptions {
  secrets: SecretStore;
  logger?: Logger;
  fetch?: typeof fetch;
  /** Clock for expiry decisions (epoch ms). */
  now?: () => number;
  /** Opens the system browser; false = could not. */
  openBrowser(url: string): Promise<boolean>;
  /** Default "Lenses MCP for VS Code". */
  clientName?: string;
  /** lenses.oauth.clientId: a pre-registered client, skips DCR. */
  clientId?: string;
  /** Allow plain http to non-loopback hosts (CL-13). */
  allowInsecureHttp?: boolean;
  /** Refresh this long before expiry; default 60 s. */
  refreshMarginMs?: number;
  /** Addition: timeout of each network step; default 30 s. */
  networkTimeoutMs?: number;
}
