// Issue 8: a session that ends elsewhere. This VS Code's grant is revoked through HQ's
// connected-applications API (as HQ's page does), then HQ forgets every token (restarted
// without its data): each time VS Code notices at once, shows the signed-out state, drops the
// Lenses tools, and Lenses: Sign In signs in again without a reload or a Sign Out first.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { obtainTokens, startHq, type RunningHq } from '../../hq-emulator/testing';
import {
  closeQuickInput,
  focusView,
  runCommand,
  screenshot,
  screenshotOf,
  waitForNotification,
  waitForQuickPickRow,
  waitForStatusBarText,
  waitUntil,
  type ToolDump,
} from './harness';
import {
  VS_CODE_CLIENT_NAME,
  adminObserver,
  publishScreenshot,
  revocationId,
  signInThroughBrowser,
  startLensesE2e,
  type HqAuthorization,
  type LensesE2e,
  stepsOfOneStory,
} from './fixtures/lensesUi';

/** 45 Lenses tools: 24 read, 16 write, 5 delete; read + write = 40. */
const READ_WRITE_TOOL_COUNT = 40;
const ALL_TOOL_COUNT = 45;
const SIGNED_IN_READ_WRITE = /admin\s*·\s*read write$/;
const SIGNED_OUT = /Lenses: Sign In/;
/** The bound: from the trigger to the signed-out status bar and no tools. */
const NOTICED_WITHIN_MS = 5000;

/** The status bar item whose text matches, with whether it has the warning colour. */
async function statusBarItem(page: Page, pattern: RegExp, timeoutMs = 10_000): Promise<{ text: string; warning: boolean }> {
  const handle = await page.waitForFunction(
    ({ source, flags }) => {
      const re = new RegExp(source, flags);
      for (const item of Array.from(document.querySelectorAll('.statusbar-item'))) {
        const text = (item.textContent ?? '').trim();
        if (re.test(text)) return { text, warning: item.classList.contains('warning-kind') };
      }
      return false;
    },
    { source: pattern.source, flags: pattern.flags },
    { timeout: timeoutMs, polling: 100 },
  );
  return (await handle.jsonValue()) as { text: string; warning: boolean };
}

/** Polls vscode.lm.tools through the probe until `done`, or returns the last dump when time runs out. */
async function toolsUntil(env: LensesE2e, done: (dump: ToolDump) => boolean, timeoutMs: number): Promise<ToolDump> {
  let last: ToolDump | undefined;
  return waitUntil(async () => (last = await env.probe.dumpTools()), done, { timeoutMs, intervalMs: 250 }).catch((error: unknown) => {
    if (last) return last;
    throw error;
  });
}

/** Revokes this VS Code's grant with the connected-applications API, as HQ's settings page does. */
async function revokeThisVsCodeAtHq(hq: RunningHq, list: () => Promise<HqAuthorization[]>): Promise<void> {
  const grants = (await list()).filter((item) => item.app_name === VS_CODE_CLIENT_NAME);
  assert.equal(grants.length, 1, `one grant of this VS Code at HQ: ${JSON.stringify(grants)}`);
  const observer = await adminToken(hq);
  const response = await fetch(`${hq.url}/api/v0/users/me/oauth2/authorizations/${encodeURIComponent(revocationId(grants[0]))}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${observer}` },
  });
  assert.equal(response.status, 204, 'HQ revoked the grant');
}

/** A token of admin's own (another application), for HQ's user API. */
async function adminToken(hq: RunningHq): Promise<string> {
  return (await obtainTokens(hq, { username: 'admin', scopes: ['read'], clientName: 'Lenses HQ settings page' })).accessToken;
}

async function clickRefresh(page: Page): Promise<void> {
  const refresh = page.locator('.part.sidebar .action-label[aria-label^="Refresh Connected Applications"]').first();
  await refresh.waitFor({ state: 'visible', timeout: 15_000 });
  await refresh.click();
}

describe('Sessions that end elsewhere (issue 8)', function () {
  this.timeout(180_000);
  let env: LensesE2e;
  let listAdminAuthorizations: () => Promise<HqAuthorization[]>;
  let listTopics = '';

  let otherHq: RunningHq | undefined;

  before(async function () {
    env = await startLensesE2e('session-ended');
  });

  stepsOfOneStory('session-ended', () => env);

  after(async function () {
    await env?.close();
    await otherHq?.close();
  });

  it(`1. signs in with read write; the embedded server offers ${READ_WRITE_TOOL_COUNT} tools`, async function () {
    await waitForStatusBarText(env.page, SIGNED_OUT);
    await signInThroughBrowser(env, () => runCommand(env.page, 'Lenses: Sign In'), {
      username: 'admin',
      password: 'admin',
      scopes: ['read', 'write'],
      shots: 'session-ended-1',
    });
    assert.match(await waitForStatusBarText(env.page, /admin\s*·/, 30_000), SIGNED_IN_READ_WRITE);
    const start = await env.probe.startMcpServers(60_000);
    assert.ok(start.ok, JSON.stringify(start));
    const dump = await toolsUntil(env, (d) => d.names.length >= READ_WRITE_TOOL_COUNT, 15_000);
    assert.equal(dump.names.length, READ_WRITE_TOOL_COUNT);
    listTopics = dump.names.find((name) => name.endsWith('_list_topics')) ?? '';
    assert.ok(listTopics, 'list_topics is offered');
    listAdminAuthorizations = await adminObserver(env.hq);
  });

  it(`2. CL-19 grant revoked at HQ, the view refreshed: within ${NOTICED_WITHIN_MS / 1000} s the status bar says "Lenses: Sign In" in the warning colour and the tools are gone`, async function () {
    await focusView(env.page, 'Connected Applications');
    await revokeThisVsCodeAtHq(env.hq, listAdminAuthorizations);
    const began = Date.now();
    await clickRefresh(env.page);
    const item = await statusBarItem(env.page, SIGNED_OUT, NOTICED_WITHIN_MS);
    const dump = await toolsUntil(env, (d) => d.names.length === 0, Math.max(500, NOTICED_WITHIN_MS - (Date.now() - began)));
    const took = Date.now() - began;
    assert.equal(item.warning, true, `the signed-out item has the warning colour: ${JSON.stringify(item)}`);
    assert.deepEqual(dump.names, [], 'no Lenses tool is offered');
    assert.ok(took <= NOTICED_WITHIN_MS + 1000, `noticed in ${took} ms`);
    const note = await waitForNotification(env.page, /no longer accepts your session/, 10_000);
    assert.match(note, /admin was signed out/);
    await screenshot(env.page, 'session-ended-2-signed-out');
    const signInItem = env.page.locator('.statusbar-item').filter({ hasText: SIGNED_OUT });
    publishScreenshot(await screenshotOf(env.page, signInItem, 'session-ended-2-status-bar-item'), 'status-bar-session-ended');
  });

  it(`3. Lenses: Sign In opens HQ's page; completed, it is signed in again with ${READ_WRITE_TOOL_COUNT} tools, no reload, no Sign Out`, async function () {
    const result = await signInThroughBrowser(env, () => runCommand(env.page, 'Lenses: Sign In'), {
      username: 'admin',
      password: 'admin',
      scopes: ['read', 'write'],
      shots: 'session-ended-3',
    });
    assert.equal(result.consentClientName, VS_CODE_CLIENT_NAME);
    const item = await statusBarItem(env.page, /admin\s*·/, 30_000);
    assert.match(item.text, SIGNED_IN_READ_WRITE);
    assert.equal(item.warning, false);
    const dump = await toolsUntil(env, (d) => d.names.length === READ_WRITE_TOOL_COUNT, 20_000);
    assert.equal(dump.names.length, READ_WRITE_TOOL_COUNT, `tools: ${dump.names.length}`);
  });

  it('4. CL-19 HQ restarted without its data (the token is unknown to it), a tool call the trigger: signed out, tools gone', async function () {
    await env.restartHqWithoutData();
    let outcome = '';
    // The first call after the restart may meet a kept-alive socket HQ closed: "unreachable", which keeps the session.
    const signedOut = await waitUntil(
      async () => {
        const call = await env.probe.invokeTool(listTopics, { environment: 'dev' }, { timeoutMs: 30_000 });
        outcome = call.ok ? call.text : call.error;
        return statusBarItem(env.page, SIGNED_OUT, 2000).catch(() => undefined);
      },
      (item) => item !== undefined,
      { timeoutMs: 45_000, intervalMs: 100, what: 'the signed-out status bar after a tool call' },
    );
    assert.equal(signedOut?.warning, true);
    assert.match(outcome, /sign in|Re-authenticate|could not be reached|Could not reach/i, 'the tool result says what to do');
    const dump = await toolsUntil(env, (d) => d.names.length === 0, NOTICED_WITHIN_MS);
    assert.deepEqual(dump.names, []);
    await screenshot(env.page, 'session-ended-4-unknown-token');
  });

  it(`5. Lenses: Sign In signs in to the restarted HQ (a fresh registration), ${READ_WRITE_TOOL_COUNT} tools again`, async function () {
    await signInThroughBrowser(env, () => runCommand(env.page, 'Lenses: Sign In'), {
      username: 'admin',
      password: 'admin',
      scopes: ['read', 'write'],
      shots: 'session-ended-5',
    });
    assert.match((await statusBarItem(env.page, /admin\s*·/, 30_000)).text, SIGNED_IN_READ_WRITE);
    const dump = await toolsUntil(env, (d) => d.names.length === READ_WRITE_TOOL_COUNT, 20_000);
    assert.equal(dump.names.length, READ_WRITE_TOOL_COUNT);
  });

  it('6. Lenses: Sign In while the session is alive says "Already signed in as admin (read write)"', async function () {
    await runCommand(env.page, 'Lenses: Sign In');
    const toast = env.page
      .locator('.notifications-toasts .notification-list-item')
      .filter({ hasText: /Already signed in to Lenses as admin \(read write\)/ })
      .first();
    await toast.waitFor({ state: 'visible', timeout: 15_000 });
    await toast
      .locator('.monaco-button')
      .filter({ hasText: /^Change Granted Scopes…$/ })
      .first()
      .waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(env.page.context().pages().length, 1, 'no browser page opened: no sign-in over a live session');
  });

  it(`7. Lenses: Change Granted Scopes… ticks read and write; adding delete re-consents at HQ and offers all ${ALL_TOOL_COUNT} tools without a reload`, async function () {
    const result = await signInThroughBrowser(
      env,
      async () => {
        await runCommand(env.page, 'Lenses: Change Granted Scopes…');
        // A multi-select pick: its rows are checkboxes (role "checkbox", aria-checked).
        const rows = env.page.locator('.quick-input-widget .monaco-list-row[role="checkbox"]');
        const ticked = await waitUntil(
          () =>
            rows.evaluateAll((elements) =>
              elements.map((row) => `${(row.getAttribute('aria-label') ?? '').split(',')[0].trim()}:${row.getAttribute('aria-checked')}`),
            ),
          (labels) => labels.length === 3,
          { timeoutMs: 10_000, what: 'the three scope rows' },
        );
        assert.deepEqual(ticked, ['read:true', 'write:true', 'delete:false'], 'the granted scopes are ticked');
        await screenshot(env.page, 'session-ended-7-scopes');
        publishScreenshot(await screenshotOf(env.page, env.page.locator('.quick-input-widget'), 'session-ended-7-scope-picker'), 'change-granted-scopes');
        await rows
          .filter({ hasText: /^delete/ })
          .first()
          .click();
        await env.page.keyboard.press('Enter');
      },
      { username: 'admin', password: 'admin', scopes: ['read', 'write', 'delete'], shots: 'session-ended-7' },
    );
    assert.equal(result.consentClientName, VS_CODE_CLIENT_NAME);
    assert.match((await statusBarItem(env.page, /admin\s*·\s*read write delete/, 30_000)).text, /read write delete$/);
    const dump = await toolsUntil(env, (d) => d.names.length === ALL_TOOL_COUNT, 20_000);
    assert.equal(dump.names.length, ALL_TOOL_COUNT);
    const grants = (await (await adminObserver(env.hq))()).filter((item) => item.app_name === VS_CODE_CLIENT_NAME);
    assert.equal(grants.length, 1, 'the old grant was revoked: one grant of this VS Code');
    assert.deepEqual([...grants[0].scope].sort(), ['delete', 'read', 'write']);
  });

  it('8. the status bar item opens the account menu: Change Granted Scopes…, Connected Applications, Show Logs, Sign Out', async function () {
    await closeQuickInput(env.page);
    await env.page
      .locator('.statusbar-item')
      .filter({ hasText: /admin\s*·/ })
      .first()
      .click();
    // The list may fill in row by row: wait for the whole menu rather than the first match.
    const options = env.page.locator('.quick-input-widget .monaco-list-row[role="option"]');
    const rows = await waitUntil(
      () => options.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? '')),
      (labels) => labels.length >= 4 && labels.some((label) => /Change Granted Scopes/.test(label)),
      { timeoutMs: 10_000, what: 'the four entries of the account menu' },
    ).catch(() => options.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? '')));
    await screenshot(env.page, 'session-ended-8-account-menu');
    await closeQuickInput(env.page);
    assert.deepEqual(
      rows.map((row) => row.replace(/^\S+ /, '').split(',')[0].trim()),
      ['Change Granted Scopes…', 'Connected Applications', 'Show Logs', 'Sign Out'],
    );
  });

  it('9. HQ unreachable: the view says so in its welcome content, with Retry and Sign In buttons; the session is kept', async function () {
    await env.hq.close();
    await focusView(env.page, 'Connected Applications');
    await clickRefresh(env.page);
    const welcome = env.page
      .locator('.part.sidebar .welcome-view-content')
      .filter({ hasText: /Could not list applications/ })
      .first();
    await welcome.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await welcome.innerText(), /Lenses HQ could not be reached\. Check your network and the address in the lenses\.url setting/);
    await welcome.getByRole('button', { name: 'Retry' }).waitFor({ state: 'visible', timeout: 10_000 });
    await welcome.getByRole('button', { name: 'Sign In' }).waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(env.page, 'session-ended-9-view-error');
    const viewTitle = env.page.locator('.part.sidebar .composite.title');
    publishScreenshot(await screenshotOf(env.page, [viewTitle, welcome], 'session-ended-9-view'), 'connected-applications-error');
    const item = await statusBarItem(env.page, /admin\s*·/, 5000);
    assert.equal(item.warning, false, 'still signed in: unreachable is not ended');
  });

  it('10. lenses.url changed to another HQ while signed in: one notification says the session was set aside; the MCP server keeps serving', async function () {
    const oldOrigin = new URL(env.hq.url).origin;
    otherHq = await startHq({ port: 0 });
    const updated = await env.probe.updateSettings({ 'lenses.url': otherHq.url });
    assert.ok(updated.ok, JSON.stringify(updated));
    const note = await waitForNotification(env.page, /lenses\.url now points at/, 20_000);
    assert.match(note, new RegExp(`the session of admin for ${oldOrigin.replace(/[.]/g, '\\.')} was set aside`));
    await statusBarItem(env.page, SIGNED_OUT, 10_000);
    const dump = await toolsUntil(env, (d) => d.names.length === 0, 15_000);
    assert.deepEqual(dump.names, [], 'no session for the new HQ: no tools');
    await runCommand(env.page, 'MCP: List Servers');
    const rows = await waitForQuickPickRow(env.page, /^Lenses\b/, 15_000);
    await screenshot(env.page, 'session-ended-10-url-changed');
    await closeQuickInput(env.page);
    const lenses = rows.find((row) => /^Lenses\b/.test(row)) ?? '';
    assert.doesNotMatch(lenses, /error|ECONNREFUSED|stopped/i, `MCP: List Servers shows ${lenses}`);
  });

  it(`11. signing in to the new HQ brings the ${READ_WRITE_TOOL_COUNT} tools back with no Start Server by hand`, async function () {
    await signInThroughBrowser(env, () => runCommand(env.page, 'Lenses: Sign In'), {
      username: 'admin',
      password: 'admin',
      scopes: ['read', 'write'],
      shots: 'session-ended-11',
    });
    assert.match((await statusBarItem(env.page, /admin\s*·/, 30_000)).text, SIGNED_IN_READ_WRITE);
    const dump = await toolsUntil(env, (d) => d.names.length === READ_WRITE_TOOL_COUNT, 30_000);
    assert.equal(dump.names.length, READ_WRITE_TOOL_COUNT);
    const call = await env.probe.invokeTool(listTopics, { environment: 'dev' }, { timeoutMs: 30_000 });
    assert.ok(call.ok && !/sign in|could not/i.test(call.text), `list_topics answers from the new HQ: ${JSON.stringify(call).slice(0, 300)}`);
  });
});
