// Issue 4: the user stays signed in across access-token expiry. The emulator issues access
// tokens that live TOKEN_TTL_SECONDS; the extension refreshes 60 s ahead of expiry
// (src/oauth/client.ts REFRESH_MARGIN_MS), so with a TTL under 60 s every use refreshes.
import * as assert from 'node:assert/strict';
import { focusView, runCommand, screenshot, treeItem, waitForStatusBarText, waitUntil } from './harness';
import { VS_CODE_CLIENT_NAME, signInThroughBrowser, startLensesE2e, type HqAccessToken, type LensesE2e, stepsOfOneStory } from './fixtures/lensesUi';
import { obtainTokens } from '../../hq-emulator/testing';

const TOKEN_TTL_SECONDS = 15;
const SIGNED_IN_READ = /admin\s*·\s*read$/;
const OTHER_APPLICATION = 'Cursor';

describe('Lenses sign-in across access-token expiry in VS Code (issue 4)', function () {
  this.timeout(120_000);
  let env: LensesE2e;

  before(async function () {
    env = await startLensesE2e('token-expiry', { tokenTtlSeconds: TOKEN_TTL_SECONDS });
  });

  stepsOfOneStory('token-expiry', () => env);

  after(async function () {
    await env?.close();
  });

  it(`signs in with read while HQ's access tokens live ${TOKEN_TTL_SECONDS} s`, async function () {
    await waitForStatusBarText(env.page, /Lenses: Sign In/);
    await signInThroughBrowser(env, () => runCommand(env.page, 'Lenses: Sign In'), {
      username: 'admin',
      password: 'admin',
      scopes: ['read'],
      shots: 'token-expiry-1',
    });
    assert.match(await waitForStatusBarText(env.page, /admin\s*·/, 30_000), SIGNED_IN_READ);
  });

  it('after the access tokens expired, Connected Applications still loads with a refreshed token; the status bar keeps the account', async function () {
    await focusView(env.page, 'Connected Applications');
    await treeItem(env.page, VS_CODE_CLIENT_NAME).waitFor({ state: 'visible', timeout: 15_000 });

    // This VS Code's tokens at HQ: the sign-in's (authorization_code) and any refreshed since.
    const vsCodeTokens = () => env.hqAccessTokens().filter((t) => t.clientName === VS_CODE_CLIENT_NAME);
    const signInToken = (t: HqAccessToken) => t.grantType === 'authorization_code';
    const before = await waitUntil(
      async () => vsCodeTokens(),
      (tokens) => tokens.some(signInToken),
      { what: "the sign-in's access token at HQ" },
    );
    const original = before.filter(signInToken).sort((a, b) => a.issuedAt - b.issuedAt)[0];

    // Wait (condition, not sleep) until every token this VS Code held so far has expired at HQ.
    const lastExpiry = Math.max(...before.map((t) => t.expiresAt));
    await waitUntil(
      async () => Promise.all(before.map(async (t) => (await env.hq.introspect(t.token)).active)),
      (active) => active.every((a) => a === false) && Date.now() > lastExpiry * 1000,
      { timeoutMs: (TOKEN_TTL_SECONDS + 10) * 1000, intervalMs: 500, what: "this VS Code's access tokens to expire at HQ" },
    );
    const expiredAt = Math.floor(Date.now() / 1000);

    // Something that needs a valid token: another application connects, and the view shows it after a refresh.
    await obtainTokens(env.hq, { username: 'admin', scopes: ['read'], clientName: OTHER_APPLICATION });
    await runCommand(env.page, 'Lenses: Refresh Connected Applications');
    await treeItem(env.page, OTHER_APPLICATION).waitFor({ state: 'visible', timeout: 15_000 });
    await treeItem(env.page, VS_CODE_CLIENT_NAME).waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(env.page, 'token-expiry-2-refreshed');

    // At HQ: a token refreshed from the same grant after the expiry is active; the sign-in's is not.
    const refreshed = await waitUntil(
      async () => vsCodeTokens().filter((t) => t.grantId === original.grantId && t.grantType.endsWith('refresh_token') && t.issuedAt >= expiredAt),
      (tokens) => tokens.length > 0,
      { timeoutMs: 5000, what: 'a token refreshed after the expiry at HQ' },
    );
    const newest = refreshed.sort((a, b) => b.issuedAt - a.issuedAt)[0];
    const now = await env.hq.introspect(newest.token);
    assert.equal(now.active, true, 'the refreshed access token is active at HQ');
    assert.equal(now.username ?? now.sub, 'admin');
    assert.equal(now.client_id, original.clientId, 'refreshed by the same VS Code client');
    assert.notEqual(newest.token, original.token);
    assert.equal((await env.hq.introspect(original.token)).active, false, "the sign-in's access token is no longer active");
    assert.ok(original.expiresAt * 1000 < Date.now(), "the sign-in's access token expired (it was not revoked)");

    assert.match(await waitForStatusBarText(env.page, /admin\s*·/, 10_000), SIGNED_IN_READ);
  });
});
