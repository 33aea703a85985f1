import assert from 'node:assert/strict';
import { LensesApiError, LensesConnectionError } from '../../../src/lenses/errors';
import { OAuthError, type OAuthErrorCode } from '../../../src/oauth';
import {
  describeLensesError,
  describeScopeShortfall,
  describeSetAside,
  describeSignInError,
  InvalidLensesUrlError,
  isCancellation,
  SignInCancelledError,
} from '../../../src/vscode/userMessages';

describe('user messages', () => {
  const cases: Array<[OAuthErrorCode, RegExp, string[], string?]> = [
    ['unreachable', /Could not reach Lenses HQ/, ['openSettings', 'showLogs'], 'lenses.url'],
    ['dcr_unavailable', /Dynamic Client Registration turned off.*lenses\.oauth\.clientId/, ['openSettings', 'showLogs'], 'lenses.oauth.clientId'],
    ['access_denied', /^Sign-in was cancelled/, ['showLogs']],
    ['timed_out', /timed out after 5 minutes/, ['signIn', 'showLogs']],
    ['insecure_http', /lenses\.allowInsecureHttp/, ['openSettings', 'showLogs'], 'lenses.allowInsecureHttp'],
    ['registration_failed', /lenses\.oauth\.clientId/, ['openSettings', 'showLogs'], 'lenses.oauth.clientId'],
    ['session_expired', /session has ended/, ['signIn']],
    ['state_mismatch', /did not match/, ['showLogs']],
  ];
  for (const [code, text, actions, setting] of cases) {
    it(`maps ${code} to one short message with its actions`, () => {
      const message = describeSignInError(new OAuthError(code, 'technical detail with no user value'));
      assert.ok(message);
      assert.match(message.text, text);
      assert.deepEqual(message.actions, actions);
      assert.equal(message.setting, setting);
      assert.doesNotMatch(message.text, /technical detail/);
    });
  }

  it('has a message for every code but cancelled', () => {
    const codes: OAuthErrorCode[] = [
      'unreachable',
      'discovery_failed',
      'issuer_mismatch',
      'pkce_unsupported',
      'dcr_unavailable',
      'registration_failed',
      'state_mismatch',
      'iss_mismatch',
      'access_denied',
      'authorization_failed',
      'browser_unavailable',
      'timed_out',
      'token_exchange_failed',
      'session_expired',
      'insecure_http',
    ];
    for (const code of codes) assert.ok(describeSignInError(new OAuthError(code, 'x'))?.text, code);
  });

  it('is silent for cancellation, in every form', () => {
    assert.equal(describeSignInError(new OAuthError('cancelled', 'x')), undefined);
    assert.equal(describeSignInError(new SignInCancelledError()), undefined);
    assert.equal(describeSignInError(new DOMException('aborted', 'AbortError')), undefined);
    assert.ok(isCancellation(new SignInCancelledError()));
  });

  it('falls back to a generic message with Show Logs for unknown errors', () => {
    assert.deepEqual(describeSignInError(new Error('boom')), { text: 'Could not sign in to Lenses. See the logs for details.', actions: ['showLogs'] });
    assert.match(describeSignInError(new LensesConnectionError('ECONNREFUSED'))?.text ?? '', /Could not reach Lenses HQ/);
  });

  it('CL-09 names granted and missing scopes', () => {
    assert.equal(describeScopeShortfall(['read', 'write'], ['read', 'write']), undefined);
    assert.match(describeScopeShortfall(['read', 'write', 'delete'], ['read', 'write'])?.text ?? '', /with read, write access\. Not granted: delete/);
    assert.match(describeScopeShortfall(['read'], [])?.text ?? '', /with none access\. Not granted: read/);
  });

  it('CL-09 after partial consent gives the one advice the status-bar menu and README give: Change Granted Scopes…', () => {
    const note = describeScopeShortfall(['read', 'write', 'delete'], ['read']);
    assert.deepEqual(note?.actions, ['changeScopes']);
    assert.match(note?.text ?? '', /use Change Granted Scopes…$/);
    assert.doesNotMatch(note?.text ?? '', /sign out/i);
  });

  it('turns HQ errors into a sentence, 401 into "sign in again"', () => {
    const unauthorized = describeLensesError(new LensesApiError(401, 'Unauthorized', undefined, undefined, [], undefined), 'list applications');
    assert.match(unauthorized.text, /Sign in again/);
    assert.deepEqual(unauthorized.actions, ['signIn', 'showLogs']);
    const forbidden = describeLensesError(new LensesApiError(403, 'Forbidden', 'Missing permission', 'req-1', [], undefined), 'list applications');
    assert.equal(forbidden.text, 'Could not list applications: Lenses answered 403 Forbidden: Missing permission');
  });
});

describe('issue 8 messages', () => {
  it('a non-URL lenses.url says so, never the discovery message', () => {
    const message = describeSignInError(new InvalidLensesUrlError('"lenses.example.com" is not an absolute URL (expected e.g. https://lenses.example.com)'));
    assert.equal(message?.text, '`lenses.url` is not a valid URL: "lenses.example.com" is not an absolute URL (expected e.g. https://lenses.example.com).');
    assert.deepEqual(message?.actions, ['openSettings']);
  });

  it('"could not reach" names the origin it tried', () => {
    const message = describeSignInError(new OAuthError('unreachable', 'Could not reach Lenses HQ (discovery).'), 'https://hq.example.com/lenses');
    assert.match(message?.text ?? '', /^Could not reach Lenses HQ at https:\/\/hq\.example\.com\./);
  });

  it('the set-aside notice names the new HQ, the account and the HQ it was for', () => {
    const text = describeSetAside({ account: { label: 'admin' }, issuer: 'http://127.0.0.1:9991' }, 'https://hq.example.com', true);
    assert.equal(
      text,
      'lenses.url now points at https://hq.example.com: the session of admin for http://127.0.0.1:9991 was set aside. Sign in to use the Lenses tools with https://hq.example.com.',
    );
    assert.match(
      describeSetAside({ account: { label: 'admin' }, issuer: 'http://127.0.0.1:9991' }, 'https://hq.example.com', false),
      /^the Lenses OAuth settings changed: /,
    );
  });
});
