/**
 * The outbound HTTP core: every request that leaves the extension or the server (OAuth, the
 * HQ API, connected applications, introspection, the SQL WebSocket handshake) goes through
 * it. It owns timeouts and signal joining, `redirect: 'manual'`, size limits, coded errors
 * that keep `cause`, the https-or-loopback rule, and where a Lenses bearer may go. No `vscode` import.
 */
export { DEFAULT_MAX_RESPONSE_BYTES, postForm, preparedHeaders, request, send, withTimeout } from './outbound';
export type { Bearer, OutboundInit, OutboundOptions, OutboundResponse } from './outbound';
export { assertBearerAllowed, lensesBearerOrigins, originOf, sameOriginAs } from './bearerOrigins';
export type { BearerOrigins, LensesBearerOriginSources } from './bearerOrigins';
export { HttpError, httpErrorIn, networkFailureReason } from './errors';
export type { HttpErrorCode } from './errors';
export { assertSecureUrl, parseUrl } from './urlPolicy';
