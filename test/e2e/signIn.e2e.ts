// Issue 4: sign in and out of Lenses from the command palette of a real VS Code (code-server),
// through the HQ emulator's login and consent pages, with the packaged VSIX installed.
import * as assert from 'node:assert/strict';
import { runCommand, screenshot, screenshotOf, waitForNotification, waitForStatusBarText, waitUntil } from './harness';
import {
  VS_CODE_CLIENT_NAME,
  adminObserver,
  publishScreenshot,
  signInThroughBrowser,
  startLensesE2e,
  type HqAuthorization,
  type LensesE2e,
  stepsOfOneStory,
} from './fixtures/lensesUi';

const SIGNED_OUT = /Lenses: Sign In/;
const SIGNED_IN_READ_WRITE = /admin\s*·\s*read write$/;

describe('Lenses sign-in in VS Code (issue 4)', function () {
  this.timeout(120_000);
  let env: LensesE2e;
  let listAdminAuthorizations: () => Promise<HqAuthorization[]>;

  before(async function () {
    env = await startLensesE2e('signin');
  });

  stepsOfOneStory('signin', () => env);

  after(async function () {
    await env?.close();
  });

  it('shows "Lenses: Sign In" in the status bar before signing in', async function () {
    await waitForStatusBarText(env.page, SIGNED_OUT);
    await screenshot(env.page, 'signin-0-signed-out');
  });

  it('signs in from the palette: login admin/admin, consent without delete, the browser says to return to VS Code', async function () {
    const result = await signInThroughBrowser(env, () => runCommand(env.page, 'Lenses: Sign In'), {
      username: 'admin',
      password: 'admin',
      scopes: ['read', 'write'],
      shots: 'signin',
    });
    // Sign In asks the provider itself: VS Code's "wants to sign in using Lenses" dialog does not come first.
    assert.equal(result.askedToSignIn, undefined, `VS Code asked first: ${result.askedToSignIn}`);
    assert.equal(result.consentClientName, VS_CODE_CLIENT_NAME);
    assert.match(result.landingText, /close this (tab|page)/i);
    publishScreenshot(result.consentShot, 'sign-in-consent');
  });

  it('shows the account and the granted scopes (read write) in the status bar', async function () {
    const text = await waitForStatusBarText(env.page, /admin\s*·/, 30_000);
    assert.match(text, SIGNED_IN_READ_WRITE);
    await screenshot(env.page, 'signin-5-status-bar-signed-in');
    const item = env.page.locator('.statusbar-item').filter({ hasText: /admin\s*·/ });
    publishScreenshot(await screenshotOf(env.page, item, 'signin-5-status-bar-item'), 'status-bar-signed-in');
  });

  it('says that delete was not granted', async function () {
    const note = await waitForNotification(env.page, /Not granted: delete/, 15_000);
    assert.match(note, /Signed in to Lenses with read, write access/);
    await screenshot(env.page, 'signin-6-not-granted-notice');
  });

  it('is still signed in after reloading the window', async function () {
    await env.page.reload({ timeout: 60_000 });
    await env.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    const text = await waitForStatusBarText(env.page, /admin\s*·/, 30_000);
    assert.match(text, SIGNED_IN_READ_WRITE);
    await screenshot(env.page, 'signin-7-after-reload');
  });

  it('has a grant for "Lenses MCP for VS Code" at Lenses HQ while signed in', async function () {
    listAdminAuthorizations = await adminObserver(env.hq);
    const grants = (await listAdminAuthorizations()).filter((item) => item.app_name === VS_CODE_CLIENT_NAME);
    assert.equal(grants.length, 1);
    assert.deepEqual([...grants[0].scope].sort(), ['read', 'write']);
  });

  it('signs out from the palette: "Lenses: Sign In" again and the grant is gone at Lenses HQ', async function () {
    await runCommand(env.page, 'Lenses: Sign Out');
    await waitForStatusBarText(env.page, SIGNED_OUT, 30_000);
    await screenshot(env.page, 'signin-8-signed-out');
    const vsCodeGrants = async () => (await listAdminAuthorizations()).filter((item) => item.app_name === VS_CODE_CLIENT_NAME);
    const grants = await waitUntil(vsCodeGrants, (items) => items.length === 0, { timeoutMs: 10_000 }).catch(vsCodeGrants);
    assert.deepEqual(grants, [], 'sign-out revoked the VS Code grant at HQ');
  });
});
