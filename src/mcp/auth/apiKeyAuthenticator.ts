import { ALL_SCOPES, type Scope } from '../../scopes';
import type { RequestAuthentication, RequestAuthenticator } from './authentication';

/**
 * API-key mode (`LENSES_API_KEY`): every request acts with the one static key, sent to HQ
 * as `Authorization: Bearer <key>`. HQ's own permissions of the key apply; no scopes are
 * enforced here (as the official server), so all tools are listed.
 */
export class ApiKeyAuthenticator implements RequestAuthenticator {
  private readonly scopes: ReadonlySet<Scope>;
  readonly credential = 'api-key';

  constructor(
    private readonly apiKey: string,
    scopes: readonly Scope[] = ALL_SCOPES,
  ) {
    if (!apiKey) throw new Error('LENSES_API_KEY is empty');
    this.scopes = new Set(scopes);
  }

  authenticate(): Promise<RequestAuthentication> {
    return Promise.resolve({ kind: 'granted', token: this.apiKey, scopes: this.scopes });
  }
}
