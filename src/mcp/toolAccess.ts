import type { RequestAuthentication } from './auth/authentication';

/**
 * What the tools may do for one request: the authenticator's answer, unchanged from the router
 * to the HQ client (a `rejected` request never gets this far).
 */
export type ToolAccess = Exclude<RequestAuthentication, { kind: 'rejected' }>;
