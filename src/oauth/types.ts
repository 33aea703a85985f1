import type { Logger } from '../log';
import type { BearerChallenge } from './challenge';

/** Where sessions and registered clients live: VS Code's SecretStorage fits as is. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** One signed-in account (Lenses HQ, or a remote MCP server's authorization server), as kept in the SecretStore. */
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
  /**
   * GRANTED scopes (often fewer than asked), as the authorization server wrote them: any
   * scope strings, not only Lenses' (the Lenses mapping lives in the VS Code layer).
   */
  scopes: string[];
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
  /**
   * The scopes to ask for. Omitted for a remote MCP server: the challenge's `scope`, else
   * the resource's `scopes_supported`, else none (MCP authorization "Scope Selection
   * Strategy"). An empty list, or nothing to choose from, leaves `scope` out of the request.
   */
  scopes?: readonly string[];
  /**
   * The `WWW-Authenticate` value of the 401 or 403 the MCP transport received (raw or
   * parsed): discovery starts at its `resource_metadata`, its `scope` is what is asked.
   * Without one, discovery probes the server itself.
   */
  challenge?: string | BearerChallenge;
  /**
   * Scopes already held (step-up, MCP 2026-07-28 scope accumulation): the request asks the
   * union of these and the scopes chosen above, so a step-up never loses a scope.
   */
  heldScopes?: readonly string[];
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
  /** lenses.oauth.clientId: a pre-registered client, used before any other registration. */
  clientId?: string;
  /**
   * The pre-registered client's secret (lenses.oauth.clientSecret, from SecretStorage): a
   * confidential client, authenticated with client_secret_basic or client_secret_post as the
   * authorization server advertises. Never logged, never stored by the core.
   */
  clientSecret?: string;
  /**
   * The issuer the pre-registered client belongs to (MCP 2026-07-28 "Authorization Server
   * Binding"): with any other authorization server it is not used. Omitted: any.
   */
  clientIssuer?: string;
  /**
   * An HTTPS URL whose document describes this client (Client ID Metadata Document): the
   * client ID with an authorization server that advertises
   * `client_id_metadata_document_supported`, before DCR.
   */
  clientMetadataUrl?: string;
  /** Allow plain http to non-loopback hosts (CL-13). */
  allowInsecureHttp?: boolean;
  /** Refresh this long before expiry; default 60 s. */
  refreshMarginMs?: number;
  /** Addition: timeout of each network step; default 30 s. */
  networkTimeoutMs?: number;
}
