// Issue 23, what a newcomer trips over, in a real VS Code (code-server) with the packaged VSIX:
// Sign In opens the browser without VS Code's extra dialog; a partial consent advises Change
// Granted Scopes… (one button, the same command as the status-bar menu); lenses.url edited
// while signed in: empty or not yet a URL changes nothing, another valid HQ sets the session
// aside, the first HQ again (written into settings.json by another program) brings it back.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { startHq, type RunningHq } from '../../hq-emulator/testing';
import {
  closeQuickInput,
  notificationTexts,
  runCommand,
  screenshot,
  screenshotOf,
  waitForNotification,
  waitForStatusBarText,
  waitUntil,
  type ToolDump,
} from './harness';
import { signInThroughBrowser, startLensesE2e, stepsOfOneStory, type LensesE2e } from './fixtures/lensesUi';

const READ_TOOL_COUNT = 24;
const SIGNED_IN_READ = /admin\s*·\s*read$/;
const SIGNED_OUT = /Lenses: Sign In/;
/** How long an edit is given to show an effect it must not have (the extension waits 2 s for lenses.url to settle). */
const SETTLE_MS = 3500;

/** Writes lenses.url into the user's settings.json as another program (an editor, a script) would. */
function writeUserUrl(env: LensesE2e, url: string): void {
  const file = path.join(env.server.userDataDir, 'User', 'settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...settings, 'lenses.url': url }, null, 2));
}

async function toolCount(env: LensesE2e, done: (count: number) => boolean, timeoutMs = 15_000): Promise<number> {
  let last: ToolDump | undefined;
  await waitUntil(
    async () => (last = await env.probe.dumpTools()),
    (dump) => done(dump.names.length),
    { timeoutMs, intervalMs: 250 },
  ).catch(() => undefined);
  return last?.names.length ?? -1;
}

/** The Lenses status bar item (the one whose text is the account or "Lenses: Sign In"). */
function lensesStatusItem(page: Page) {
  return page.locator('.statusbar-item').filter({ hasText: /admin\s*·|Lenses: Sign In/ });
}

describe('What a newcomer trips over (issue 23)', function () {
  this.timeout(180_000);
  let env: LensesE2e;
  let otherHq: RunningHq | undefined;

  before(async function () {
    env = await startLensesE2e('newcomer');
  });

  stepsOfOneStory('newcomer', () => env);

  after(async function () {
    await otherHq?.close();
    await env?.close();
  });

  it('1. Lenses: Sign In opens the browser at once: no "wants to sign in using Lenses" dialog first', async function () {
    await waitForStatusBarText(env.page, SIGNED_OUT);
    const result = await signInThroughBrowser(env, () => runCommand(env.page, 'Lenses: Sign In'), {
      username: 'admin',
      password: 'admin',
      scopes: ['read'],
      shots: 'newcomer-1',
    });
    assert.equal(result.askedToSignIn, undefined, `VS Code asked first: ${result.askedToSignIn}`);
    assert.match(await waitForStatusBarText(env.page, /admin\s*·/, 30_000), SIGNED_IN_READ);
    await screenshotOf(env.page, lensesStatusItem(env.page), 'newcomer-1-status-bar');
  });

  it('2. a partial consent advises Change Granted Scopes…, and its button opens that picker', async function () {
    const note = await waitForNotification(env.page, /Not granted: write, delete/, 15_000);
    assert.match(note, /To ask for it, use Change Granted Scopes…/);
    assert.doesNotMatch(note, /Sign out and in again/);
    await runCommand(env.page, 'Notifications: Show Notifications');
    const row = env.page.locator('.notifications-center .monaco-list-row').filter({ hasText: /Not granted: write, delete/ });
    await row.getByRole('button', { name: 'Change Granted Scopes…' }).click({ timeout: 10_000 });
    // A multi-select pick: its rows are checkboxes; the granted scope is ticked.
    const rows = env.page.locator('.quick-input-widget .monaco-list-row[role="checkbox"]');
    const ticked = await waitUntil(
      () =>
        rows.evaluateAll((elements) =>
          elements.map((row) => `${(row.getAttribute('aria-label') ?? '').split(',')[0].trim()}:${row.getAttribute('aria-checked')}`),
        ),
      (labels) => labels.length === 3,
      { timeoutMs: 10_000, what: 'the three scope rows' },
    );
    await screenshot(env.page, 'newcomer-2-scope-picker');
    assert.deepEqual(ticked, ['read:true', 'write:false', 'delete:false'], 'the Change Granted Scopes picker, the granted scope ticked');
    await closeQuickInput(env.page);
  });

  it(`3. the embedded server offers the ${READ_TOOL_COUNT} read tools`, async function () {
    const start = await env.probe.startMcpServers(60_000);
    assert.ok(start.ok, JSON.stringify(start));
    assert.equal(await toolCount(env, (count) => count === READ_TOOL_COUNT), READ_TOOL_COUNT);
  });

  it('4. lenses.url cleared and retyped, each keystroke saved as the Settings editor does: still signed in, the tools stay, no warning', async function () {
    // Saved a moment apart, as the Settings editor saves each pause in typing; "https://127.0.0"
    // is a URL already (127.0.0.0), one that is typed on.
    for (const value of ['', 'h', 'https://', 'https://127.0.0', env.hq.url]) {
      const saved = await env.probe.updateSettings({ 'lenses.url': value });
      assert.ok(saved.ok, JSON.stringify(saved));
      assert.match(await waitForStatusBarText(env.page, /admin\s*·|Lenses: Sign In/, 5000), SIGNED_IN_READ, `after lenses.url = "${value}"`);
    }
    await env.page.waitForTimeout(SETTLE_MS);
    assert.match(await waitForStatusBarText(env.page, /admin\s*·|Lenses: Sign In/, 5000), SIGNED_IN_READ, 'once the edit settled');
    assert.equal(await toolCount(env, (count) => count === READ_TOOL_COUNT, 5000), READ_TOOL_COUNT);
    const notes = await notificationTexts(env.page);
    assert.deepEqual(
      notes.filter((text) => /lenses\.url/.test(text)),
      [],
      'no warning about lenses.url',
    );
    await screenshot(env.page, 'newcomer-4-after-retyping');
  });

  it('5. another valid HQ (the same way) sets the session aside, with one notice', async function () {
    otherHq = await startHq({ port: 0 });
    const saved = await env.probe.updateSettings({ 'lenses.url': otherHq.url });
    assert.ok(saved.ok, JSON.stringify(saved));
    const note = await waitForNotification(env.page, /lenses\.url now points at/, 20_000);
    assert.match(note, new RegExp(`points at ${new URL(otherHq.url).origin.replace(/[.]/g, '\\.')}`));
    await waitForStatusBarText(env.page, SIGNED_OUT, 15_000);
    assert.equal(await toolCount(env, (count) => count === 0), 0);
  });

  it('6. the first HQ written into settings.json by another program: read once VS Code for the browser reloads the window, the stored session comes back', async function () {
    // VS Code for the browser (code-server) does not watch the user's settings.json for
    // edits made outside it; the desktop does. The extension reads whatever VS Code hands it.
    writeUserUrl(env, env.hq.url);
    await env.page.waitForTimeout(SETTLE_MS);
    await env.page.reload({ timeout: 60_000 });
    await env.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await waitForStatusBarText(env.page, /admin\s*·/, 30_000), SIGNED_IN_READ);
  });
});
