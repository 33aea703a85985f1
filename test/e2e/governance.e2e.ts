// Issue 13: a delete on a protected environment (the emulator's `prod`, tier production) through
// vscode.lm.invokeTool, as agent mode calls it. The embedded server asks the user through MCP
// elicitation; VS Code shows the question (a notification, then a quick input for the name).
// Declining leaves the connector; typing its name and confirming deletes it (RS-20).
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  closeQuickInput,
  currentDialogMessage,
  handleDialog,
  runCommand,
  screenshot,
  screenshotOf,
  waitForQuickPickRow,
  waitForStatusBarText,
  waitForText,
  waitUntil,
  type InvokeOutcome,
} from './harness';
import { publishScreenshot, signInThroughBrowser, startLensesE2e, stepsOfOneStory, type LensesE2e } from './fixtures/lensesUi';

const QUESTION = /Delete connector orders-sink in prod\?/;
const PROD_SINK = { environment: 'prod', cluster: 'connect-prod', connector: 'orders-sink' };

/** The toast that shows the confirmation question. */
function questionToast(page: Page) {
  return page.locator('.notifications-toasts .notification-toast').filter({ hasText: QUESTION }).first();
}

/**
 * Waits for the confirmation question while pressing "Yes" on VS Code's own "Run <tool>?"
 * dialog, which comes first for a tool not marked read-only.
 */
async function waitForQuestion(page: Page, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dialog = await currentDialogMessage(page).catch(() => undefined);
    if (dialog !== undefined && /^Run /.test(dialog)) await handleDialog(page, 'Yes').catch(() => undefined);
    else if (dialog === undefined && (await questionToast(page).isVisible())) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`VS Code showed no notification matching ${QUESTION} within ${timeoutMs} ms`);
}

describe('Protected environments in VS Code: the user confirms a delete through MCP elicitation (issue 13)', function () {
  this.timeout(150_000);
  let env: LensesE2e;
  let deleteTool = '';

  /** The connectors of `prod`, read from the emulator directly. */
  async function prodConnectors(): Promise<string[]> {
    const response = await fetch(`${env.hq.url}/api/v1/environments/prod/proxy/api/kafka-connect/connectors`, {
      headers: { Authorization: `Bearer ${env.hq.apiKey}` },
    });
    return ((await response.json()) as { data: Array<{ name: string }> }).data.map((c) => c.name);
  }

  before(async function () {
    env = await startLensesE2e('governance');
  });

  stepsOfOneStory('governance', () => env);

  after(async function () {
    await env?.close();
  });

  it('signs in with read, write and delete; the delete tools are offered', async function () {
    await waitForStatusBarText(env.page, /Lenses: Sign In/);
    await signInThroughBrowser(env, () => runCommand(env.page, 'Lenses: Sign In'), {
      username: 'admin',
      password: 'admin',
      scopes: ['read', 'write', 'delete'],
      shots: 'governance-1',
    });
    await waitForStatusBarText(env.page, /admin\s*·\s*read write delete$/, 30_000);
    const start = await env.probe.startMcpServers(60_000);
    assert.ok(start.ok, `tools appeared after start: ${JSON.stringify(start)}`);
    const dump = await waitUntil(
      () => env.probe.dumpTools(),
      (d) => d.names.some((n) => n.endsWith('_delete_kafka_connector')),
      { timeoutMs: 15_000, intervalMs: 500, what: 'delete_kafka_connector in vscode.lm.tools' },
    );
    deleteTool = dump.names.find((n) => n.endsWith('_delete_kafka_connector')) ?? '';
    assert.ok(deleteTool);
  });

  it('"Lenses: Show Available Tools" lists the tools by area, all on with every scope granted', async function () {
    await runCommand(env.page, 'Lenses: Show Available Tools');
    // The list is virtualised: only the first rows are in the page.
    const rows = await waitForQuickPickRow(env.page, /list_topics, read, topics/);
    const title = await waitForText(env.page, '.quick-input-widget .quick-input-title', /tools on/);
    await screenshot(env.page, 'governance-available-tools');
    await closeQuickInput(env.page);
    assert.match(title, /45 of 45 tools on · read-only mode off · protected environments: tier:production/);
    assert.ok(
      rows.some((row) => /^check\s+create_topic, write$/.test(row)),
      JSON.stringify(rows),
    );
  });

  it('RS-20 VS Code shows the question for a delete on prod; declining leaves the connector', async function () {
    const done = await env.probe.begin<InvokeOutcome>('invokeTool', { name: deleteTool, input: PROD_SINK }, 90_000);
    await waitForQuestion(env.page);
    const toast = questionToast(env.page);
    const text = (await toast.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /prod is a protected environment \(tier production\)/);
    assert.match(text, /Type "orders-sink" to confirm, or decline/);
    await screenshot(env.page, 'governance-2-confirmation-question');
    publishScreenshot(await screenshotOf(env.page, toast, 'governance-2-confirmation-toast'), 'protected-environment-confirmation');
    // "Cancel" is the notification's secondary action: in its "More Actions" menu.
    await toast.hover();
    await toast.locator('.action-label.codicon-notification-configure, .action-label[aria-label^="More Actions"]').first().click({ timeout: 5000 });
    const cancel = env.page
      .locator('.context-view .action-label, .monaco-menu .action-label')
      .filter({ hasText: /^Cancel$/ })
      .first();
    await cancel.waitFor({ state: 'visible', timeout: 5000 });
    await env.page.waitForTimeout(300); // a click right after a menu opens can be dropped (VSCODE-E2E.md)
    await cancel.click();
    const outcome = await done();
    const answer = outcome.ok ? outcome.text : outcome.error;
    assert.match(answer, /Delete connector orders-sink in prod: not done, nothing was changed\. The user declined/);
    assert.ok((await prodConnectors()).includes('orders-sink'), 'orders-sink is still in prod');
    // The answered toast stays until closed: clear it so the next question is the only one.
    await runCommand(env.page, 'Notifications: Clear All Notifications');
    await questionToast(env.page).waitFor({ state: 'hidden', timeout: 5000 });
  });

  it('RS-20 confirming with the connector name typed back removes it', async function () {
    const done = await env.probe.begin<InvokeOutcome>('invokeTool', { name: deleteTool, input: PROD_SINK }, 90_000);
    await waitForQuestion(env.page);
    await questionToast(env.page)
      .locator('.monaco-button')
      .filter({ hasText: /^Respond$/ })
      .first()
      .click({ timeout: 5000 });
    const input = env.page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await env.page.locator('.quick-input-widget').filter({ hasText: 'Type "orders-sink" to confirm' }).waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('orders-sink');
    await env.page
      .locator('.quick-input-widget .monaco-list-row[role="option"]')
      .filter({ hasText: 'orders-sink' })
      .first()
      .waitFor({ state: 'visible', timeout: 5000 });
    await screenshot(env.page, 'governance-3-type-the-name');
    publishScreenshot(
      await screenshotOf(env.page, env.page.locator('.quick-input-widget'), 'governance-3-type-the-name-picker'),
      'protected-environment-type-the-name',
    );
    await env.page.keyboard.press('Enter');
    const outcome = await done();
    assert.ok(outcome.ok, `the tool call returned: ${JSON.stringify(outcome)}`);
    await waitUntil(prodConnectors, (names) => !names.includes('orders-sink'), { timeoutMs: 10_000, what: 'orders-sink gone from prod' });
  });
});
