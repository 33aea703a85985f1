// Issue 5: the packaged extension end to end in a real VS Code (code-server) against the HQ
// emulator — sign in with read + write, the Lenses MCP tools in VS Code, the Connected
// Applications view with a second application, revoking it, and signing out.
import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { obtainTokens, type ObtainedTokens } from '../../hq-emulator/testing';
import { seedState } from '../../hq-emulator/api/seed';
import {
  closeQuickInput,
  contextMenu,
  focusView,
  handleDialog,
  readQuickPick,
  runCommand,
  screenshot,
  screenshotOf,
  treeItem,
  waitForQuickPickRow,
  waitForStatusBarText,
  waitUntil,
  type ToolDump,
} from './harness';
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

const OTHER_APPLICATION = 'Claude Desktop';
/** 45 Lenses tools: 24 read, 16 write, 5 delete (the official server's tool list, test/unit/mcp/official-tools.json); read + write = 40. */
const READ_WRITE_TOOL_COUNT = 40;
const DELETE_TOOLS = [
  'delete_kafka_connector',
  'delete_consumer_group_offsets',
  'delete_consumer_partition_offset',
  'delete_consumer_group',
  'delete_sql_processor',
];

/** The dev environment's topics in the emulator's seed, without Kafka's internal ones. */
function seededDevTopics(): string[] {
  const dev = seedState().environments.find((environment) => environment.name === 'dev');
  assert.ok(dev, 'the seed has a dev environment');
  return dev.data.topics.map((topic) => topic.name).filter((name) => !name.startsWith('__'));
}

/** Whether a full tool name (VS Code prefixes it, e.g. mcp_lenses_mcp_list_topics) is the Lenses tool `tool`. */
function toolSuffix(fullName: string, tool: string): boolean {
  return fullName === tool || fullName.endsWith(`_${tool}`);
}

/** Polls vscode.lm.tools (through the probe) until `done` says so or time runs out; returns the last dump. */
async function dumpToolsUntil(env: LensesE2e, done: (dump: ToolDump) => boolean, timeoutMs: number): Promise<ToolDump> {
  // On timeout the test's own assertion on the last dump says what was wrong.
  let last: ToolDump | undefined;
  const read = async () => (last = await env.probe.dumpTools());
  return waitUntil(read, done, { timeoutMs, intervalMs: 500 }).catch((error: unknown) => {
    if (last) return last;
    throw error;
  });
}

/** A tree item's description once it is `expected`, else (after `timeoutMs`) the last one shown, for the assertion to report. */
async function waitForDescription(item: Locator, expected: string, timeoutMs = 10_000): Promise<string> {
  return waitUntil(
    () => description(item),
    (text) => text === expected,
    { timeoutMs },
  ).catch(() => description(item));
}

/** Clicks the Connected Applications view's "Refresh" title button (in the side bar's title when it is the only view). */
async function refreshConnectedApplications(page: Page): Promise<void> {
  const refresh = page.locator('.part.sidebar .action-label[aria-label^="Refresh Connected Applications"]').first();
  await refresh.waitFor({ state: 'visible', timeout: 15_000 });
  await refresh.click();
}

/** A tree item's description (the grey text after its label). */
async function description(item: Locator): Promise<string> {
  return (await item.locator('.label-description').innerText({ timeout: 5000 })).trim();
}

/** Drags the side bar's edge so the tree items' descriptions are not cut off in screenshots. */
async function widenSideBar(page: Page, width: number): Promise<void> {
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar) return;
  const edge = sidebar.x + sidebar.width + 1;
  const y = sidebar.y + sidebar.height / 2;
  await page.mouse.move(edge, y);
  await page.mouse.down();
  await page.mouse.move(edge + (width - sidebar.width), y, { steps: 5 });
  await page.mouse.up();
}

describe('Lenses MCP extension end to end (issue 5)', function () {
  this.timeout(120_000);
  let env: LensesE2e;
  let toolNames: string[] = [];
  let otherApplication: ObtainedTokens;
  let listAdminAuthorizations: () => Promise<HqAuthorization[]>;

  before(async function () {
    // Once against Lenses 6.2's published connected-applications shape (grant_id, app_*, scope).
    env = await startLensesE2e('extension', { lensesVersion: '6.2' });
  });

  stepsOfOneStory('extension', () => env);

  after(async function () {
    await env?.close();
  });

  it('1. signs in from the palette with only read and write ticked; the status bar shows the account', async function () {
    await waitForStatusBarText(env.page, /Lenses: Sign In/);
    const result = await signInThroughBrowser(env, () => runCommand(env.page, 'Lenses: Sign In'), {
      username: 'admin',
      password: 'admin',
      scopes: ['read', 'write'],
      shots: 'extension-1',
    });
    assert.equal(result.consentClientName, VS_CODE_CLIENT_NAME);
    const text = await waitForStatusBarText(env.page, /admin\s*·/, 30_000);
    assert.match(text, /admin\s*·\s*read write$/);
    await screenshot(env.page, 'extension-1-5-signed-in');
  });

  it('2a. "MCP: List Servers" lists the Lenses server', async function () {
    await runCommand(env.page, 'MCP: List Servers');
    // The list may show other entries first: wait for the Lenses row, do not read once.
    const rows = await waitForQuickPickRow(env.page, /^Lenses\b/, 15_000).catch(() => readQuickPick(env.page));
    const shot = await screenshot(env.page, 'extension-2-mcp-list-servers');
    await closeQuickInput(env.page);
    assert.ok(
      rows.some((row) => /^Lenses\b/.test(row)),
      `the MCP servers list shows Lenses: ${JSON.stringify(rows)}`,
    );
    assert.ok(shot);
  });

  it(`2b. starting it discovers the ${READ_WRITE_TOOL_COUNT} read and write tools, and no delete tool`, async function () {
    const start = await env.probe.startMcpServers(60_000);
    assert.ok(start.ok, `tools appeared after start: ${JSON.stringify(start)}`);
    // The tool list may still be filling in right after the start.
    const dump = await dumpToolsUntil(env, (d) => d.names.length >= READ_WRITE_TOOL_COUNT, 10_000);
    toolNames = dump.names;
    await screenshot(env.page, 'extension-2-tools-started');
    assert.ok(
      toolNames.every((name) => name.startsWith('mcp_lenses_')),
      `tool names are mcp_lenses_<tool>: ${JSON.stringify(toolNames)}`,
    );
    assert.equal(toolNames.length, READ_WRITE_TOOL_COUNT, `tools: ${JSON.stringify(toolNames)}`);
    for (const tool of DELETE_TOOLS) assert.ok(!toolNames.some((name) => toolSuffix(name, tool)), `${tool} is not offered without the delete scope`);
    assert.ok(toolNames.some((name) => toolSuffix(name, 'list_topics')));
  });

  it("2c. list_topics through vscode.lm.invokeTool returns the emulator's dev topics", async function () {
    const listTopics = toolNames.find((name) => toolSuffix(name, 'list_topics'));
    assert.ok(listTopics, 'list_topics is offered');
    const outcome = await env.probe.invokeTool(listTopics, { environment: 'dev' }, { timeoutMs: 30_000 });
    assert.ok(outcome.ok, `the tool call succeeded: ${JSON.stringify(outcome)}`);
    for (const topic of seededDevTopics()) assert.ok(outcome.text.includes(topic), `list_topics names ${topic}: ${outcome.text.slice(0, 500)}`);
    await showToolsInOutput(env.page);
  });

  it('3. the Connected Applications view lists this VS Code (read, write) and a second application', async function () {
    await focusView(env.page, 'Connected Applications');
    await widenSideBar(env.page, 520);
    const self = treeItem(env.page, VS_CODE_CLIENT_NAME);
    await self.waitFor({ state: 'visible', timeout: 15_000 });
    // Another application signs in to admin's account (DCR + consent at the emulator), then the view is refreshed.
    otherApplication = await obtainTokens(env.hq, { username: 'admin', scopes: ['read'], clientName: OTHER_APPLICATION });
    await refreshConnectedApplications(env.page);
    const other = treeItem(env.page, OTHER_APPLICATION);
    await other.waitFor({ state: 'visible', timeout: 15_000 });
    // "this VS Code" comes first, so a narrow sidebar that cuts the description still shows it.
    assert.equal(await waitForDescription(self, 'this VS Code · read, write'), 'this VS Code · read, write');
    assert.equal(await waitForDescription(other, 'read'), 'read');
    // Cropped to the view: its title and the two rows.
    const viewTitle = env.page.locator('[id="workbench.parts.sidebar"] .composite.title');
    publishScreenshot(await screenshotOf(env.page, [viewTitle, self, other], 'extension-3-connected-applications'), 'connected-applications');
  });

  it('4. revoking the second application from its context menu removes it and kills its token at HQ', async function () {
    assert.equal((await env.hq.introspect(otherApplication.accessToken)).active, true, 'its token works before the revoke');
    await contextMenu(env.page, OTHER_APPLICATION, 'Revoke Access…');
    await env.page.locator('.monaco-dialog-box').waitFor({ state: 'visible', timeout: 15_000 });
    publishScreenshot(await screenshotOf(env.page, env.page.locator('.monaco-dialog-box'), 'extension-4-revoke-confirm'), 'revoke-access');
    const message = await handleDialog(env.page, 'Revoke Access', { message: /Revoke access for "Claude Desktop"\?/ });
    assert.match(message, /will lose its read access/);
    await treeItem(env.page, OTHER_APPLICATION).waitFor({ state: 'hidden', timeout: 15_000 });
    // The tree re-renders after the revoke: wait for this VS Code's row instead of reading once.
    await treeItem(env.page, VS_CODE_CLIENT_NAME).waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal((await env.hq.introspect(otherApplication.accessToken)).active, false, 'its token is inactive at HQ');
    await screenshot(env.page, 'extension-4-revoked');
  });

  it('5a. signing out revokes the VS Code grant at HQ', async function () {
    listAdminAuthorizations = await adminObserver(env.hq);
    const before = (await listAdminAuthorizations()).filter((item) => item.app_name === VS_CODE_CLIENT_NAME);
    assert.equal(before.length, 1, 'the VS Code grant is there while signed in');
    await runCommand(env.page, 'Lenses: Sign Out');
    await waitForStatusBarText(env.page, /Lenses: Sign In/, 30_000);
    const vsCodeGrants = async () => (await listAdminAuthorizations()).filter((item) => item.app_name === VS_CODE_CLIENT_NAME);
    const after = await waitUntil(vsCodeGrants, (grants) => grants.length === 0, { timeoutMs: 10_000 }).catch(vsCodeGrants);
    assert.deepEqual(after, [], 'sign-out revoked the VS Code grant at HQ');
    await screenshot(env.page, 'extension-5-signed-out');
  });

  it('5b. after sign-out VS Code no longer offers the Lenses tools, and no new grant appears', async function () {
    // Signed out, the embedded server lists no tools and sends tools/list_changed: VS Code drops them.
    const dump = await dumpToolsUntil(env, (d) => d.names.length === 0, 15_000);
    await screenshot(env.page, 'extension-5-tools-gone');
    assert.deepEqual(dump.names, [], 'no Lenses tool is offered after sign-out');
    assert.equal((await listAdminAuthorizations()).filter((item) => item.app_name === VS_CODE_CLIENT_NAME).length, 0, 'no new grant');
  });
});

/**
 * The README's pictures of the running server and its tools, each cropped to its picker:
 * "MCP: List Servers" with the Lenses row, and "Lenses: Show Available Tools".
 */
async function showToolsInOutput(page: Page): Promise<void> {
  const picker = page.locator('.quick-input-widget');
  try {
    await runCommand(page, 'MCP: List Servers');
    const rows = await waitForQuickPickRow(page, /^Lenses\b.*Running/i, 15_000).catch(() => readQuickPick(page));
    if (rows.some((row) => /^Lenses\b/.test(row))) {
      publishScreenshot(await screenshotOf(page, picker, 'extension-2-mcp-list-servers-running'), 'mcp-list-servers');
    }
    await closeQuickInput(page);
    await runCommand(page, 'Lenses: Show Available Tools');
    await waitForQuickPickRow(page, /list_topics/, 15_000);
    publishScreenshot(await screenshotOf(page, picker, 'extension-2-available-tools'), 'mcp-tools');
  } finally {
    await closeQuickInput(page);
  }
}
