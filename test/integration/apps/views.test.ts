import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CallToolResult, Client } from '@modelcontextprotocol/client';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { LENSES_TOOLS } from '../../../src/mcp/tools';
import { ALL_SCOPES } from '../../../src/scopes';
import { startHq, type RunningHq } from '../../../hq-emulator/testing';
import { connectInMemory } from '../../unit/mcp/inMemoryServer';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..', '..');
/** The README's pictures are refreshed only on request (LENSES_PUBLISH_SCREENSHOTS=1), as the e2e suite's are; otherwise .artifacts/apps. */
const SCREENSHOTS = process.env.LENSES_PUBLISH_SCREENSHOTS === '1' ? join(ROOT, 'media', 'screenshots') : join(ROOT, '.artifacts', 'apps');
const READ_TOOLS = new Set(LENSES_TOOLS.filter((tool) => tool.scope === 'read').map((tool) => tool.name));
const ENV = 'dev';

/**
 * Each MCP Apps view in real Chromium: a host page built on the ext-apps SDK's AppBridge loads
 * the view's ui:// page in a sandboxed iframe and hands it a tool result the server produced
 * from the HQ emulator; the test reads what the view shows.
 */
describe('MCP Apps views in a browser (AppBridge host, emulator data)', function () {
  this.timeout(60_000);
  let hq: RunningHq;
  let client: Client;
  let smallClient: Client;
  let browser: Browser;
  let page: Page;
  let hostScript: string;
  /** tools/call requests the views sent through the host. */
  let calls: string[] = [];
  /** Requests the page made beyond the host page itself. */
  let network: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: the browser tests of the MCP Apps views need Chromium at ${CHROMIUM} (apt-get install chromium)`);
      this.skip();
    }
    hq = await startHq({ port: 0 });
    const defaultAccess = { kind: 'granted', token: hq.apiKey, scopes: new Set(ALL_SCOPES) } as const;
    ({ client } = await connectInMemory({ lensesUrl: hq.url, defaultAccess }));
    // A small answer budget, to see the SQL view say that the answer was cut.
    ({ client: smallClient } = await connectInMemory({ lensesUrl: hq.url, defaultAccess, maxToolOutputChars: 2_000 }));
    const built = await esbuild.build({
      entryPoints: [join(__dirname, 'viewHost.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      logLevel: 'silent',
    });
    hostScript = built.outputFiles[0].text;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    page.on('request', (request) => {
      if (!/^(about|data):/.test(request.url())) network.push(request.url());
    });
    await page.exposeFunction('hostCallTool', async (name: string, args: Record<string, unknown>) => {
      calls.push(name);
      return client.callTool({ name, arguments: args });
    });
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: hostScript });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await client?.close();
    await smallClient?.close();
    await hq?.close();
  });

  beforeEach(() => {
    calls = [];
    network = [];
  });

  /** Calls the tool, reads its view (named by the tool's _meta.ui.resourceUri) and shows the two in the host. */
  async function show(tool: string, args: Record<string, unknown>, from = client): Promise<{ view: FrameLocator; result: CallToolResult }> {
    const listed = (await from.listTools()).tools.find((candidate) => candidate.name === tool);
    const uri = (listed?._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri;
    assert.ok(uri, `${tool} declares no view`);
    const resource = (await from.readResource({ uri })).contents[0] as { text: string };
    const result = await from.callTool({ name: tool, arguments: args });
    assert.notEqual(result.isError, true, JSON.stringify(result.content));
    await page.evaluate(([html, input, answer]) => (window as unknown as { loadView(...a: unknown[]): Promise<void> }).loadView(html, input, answer), [
      resource.text,
      args,
      result,
    ] as const);
    const view = page.frameLocator('iframe');
    await view.locator('table').first().waitFor();
    return { view, result };
  }

  async function screenshot(name: string): Promise<void> {
    await page.waitForTimeout(100);
    await page.locator('iframe').screenshot({ path: join(SCREENSHOTS, `view-${name}.png`) });
  }

  it('consumer lag: groups worst first with the total, partitions sortable from the keyboard, refresh runs a read tool', async () => {
    const { view, result } = await show('list_consumer_groups', { environment: ENV, detail: true });
    const groups = (result.structuredContent as { items: Array<{ id: string; offsets: Array<{ lag: number }> }> }).items;
    // Lenses publishes minLag/maxLag per group, no total: a group's lag is the sum of its partitions'.
    const lagOf = (group: (typeof groups)[number]) => group.offsets.reduce((sum, offset) => sum + offset.lag, 0);
    const total = groups.reduce((sum, group) => sum + lagOf(group), 0);
    assert.ok(total > 0, 'the emulator seeds some lag');
    await assert.doesNotReject(view.getByText(`Total lag: ${total.toLocaleString('en-US')}`).waitFor());
    const groupRows = view.getByRole('table', { name: 'Consumer groups' }).locator('tbody tr');
    assert.equal(await groupRows.count(), groups.length);
    const worst = [...groups].sort((a, b) => lagOf(b) - lagOf(a))[0];
    assert.equal(await groupRows.first().locator('td').first().textContent(), worst.id);

    const lags = groups.flatMap((group) => group.offsets.map((offset) => offset.lag));
    const partitionLag = () => view.getByRole('table', { name: 'Partitions' }).locator('tbody tr td:nth-child(6)').allTextContents();
    assert.equal((await partitionLag()).length, lags.length);
    assert.equal((await partitionLag())[0], Math.max(...lags).toLocaleString('en-US'), 'worst partition first');
    await screenshot('consumer-lag');

    const lagHeader = view.getByRole('table', { name: 'Partitions' }).getByRole('button', { name: 'Lag' });
    await lagHeader.focus();
    await page.keyboard.press('Enter');
    assert.equal((await partitionLag())[0], Math.min(...lags).toLocaleString('en-US'), 'Enter on the header reverses the order');

    await view.getByRole('button', { name: 'Refresh' }).click();
    await view.getByRole('button', { name: 'Refresh' }).waitFor();
    assert.deepEqual(calls, ['list_consumer_groups']);
    assert.ok(calls.every((name) => READ_TOOLS.has(name)));
    assert.deepEqual(network, [], 'the view loads nothing from the network');
  });

  it("consumer lag: compact rows show the groups and say how to get partitions; one topic's groups are titled by it", async () => {
    const compact = await show('list_consumer_groups', { environment: ENV });
    const rows = (compact.result.structuredContent as { items: unknown[] }).items;
    assert.equal(await compact.view.getByRole('table', { name: 'Consumer groups' }).locator('tbody tr').count(), rows.length);
    assert.equal(await compact.view.getByRole('table', { name: 'Partitions' }).count(), 0);
    await compact.view.getByText(/detail: true/).waitFor();

    const byTopic = await show('list_consumer_groups_by_topic', { environment: ENV, topic: 'payments' });
    await byTopic.view.getByRole('heading', { name: 'Consumer lag on payments' }).waitFor();
    assert.ok((await byTopic.view.getByRole('table', { name: 'Partitions' }).locator('tbody tr').count()) > 0);
  });

  it('topic overview: partitions with their messages, key and value types, configs and consumers', async () => {
    const { view, result } = await show('get_topic', { environment: ENV, topic_name: 'orders' });
    const topic = result.structuredContent as { partitions: number; keyType: string; valueType: string; messagesPerPartition: unknown[] };
    await view.getByRole('heading', { name: 'Topic orders' }).waitFor();
    await view.getByText(`Partitions: ${topic.partitions}`).waitFor();
    await view.getByText(`Value: ${topic.valueType}`).waitFor();
    assert.equal(await view.getByRole('table', { name: 'Messages per partition' }).locator('tbody tr').count(), topic.messagesPerPartition.length);
    assert.ok((await view.getByRole('table', { name: 'Configuration' }).locator('tbody tr').count()) > 0);
    assert.ok((await view.getByRole('table', { name: 'Consumers' }).locator('tbody tr').count()) > 0);
    await screenshot('topic-overview');
    assert.deepEqual(network, []);
  });

  it('SQL results: one row per record, value fields and _meta columns', async () => {
    const { view, result } = await show('execute_sql', { environment: ENV, sql: 'SELECT * FROM orders LIMIT 8' });
    const records = (result.structuredContent as { result: unknown[] }).result;
    assert.equal(records.length, 8);
    const grid = view.getByRole('table', { name: 'Query results' });
    assert.equal(await grid.locator('tbody tr').count(), 8);
    await grid.getByRole('button', { name: '_meta.offset' }).waitFor();
    assert.match((await grid.locator('tbody tr').first().locator('time').textContent()) ?? '', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/, 'record time in UTC');
    assert.equal(await view.getByText(/^Truncated/).count(), 0);
    await screenshot('sql-results');
  });

  it('SQL results: says so when the answer was cut at the output budget', async () => {
    const { view, result } = await show('execute_sql', { environment: ENV, sql: 'SELECT * FROM orders' }, smallClient);
    const answer = result.structuredContent as { records: unknown[]; truncated: boolean };
    assert.equal(answer.truncated, true);
    assert.equal(await view.getByRole('table', { name: 'Query results' }).locator('tbody tr').count(), answer.records.length);
    await view.getByText(`Truncated: truncated after ${answer.records.length} rows`).waitFor();
  });

  it('connector health: counts by state, the failed connector first with its failed task highlighted', async () => {
    const { view, result } = await show('list_kafka_connectors', { environment: ENV });
    const connectors = (result.structuredContent as { items: Array<{ name: string }> }).items;
    const rows = view.getByRole('table', { name: 'Connectors' }).locator('tbody tr');
    assert.equal(await rows.count(), connectors.length);
    const first = rows.first();
    assert.equal(await first.locator('td').first().textContent(), 'customers-jdbc-source');
    assert.match((await first.getAttribute('class')) ?? '', /failed/);
    const failedTask = first.locator('span.failed');
    assert.equal(await failedTask.textContent(), 'task 0 FAILED');
    assert.equal(await failedTask.evaluate((node) => getComputedStyle(node).color), 'rgb(220, 38, 38)', 'the host theme colours the failed task');
    await view.getByText('FAILED: 1').waitFor();
    await screenshot('connector-health');
    assert.deepEqual(network, []);
  });

  it('a value from Lenses that holds HTML is shown as text, never run', async () => {
    const hostile = '<img src="x" onerror="document.title=\'pwned\'">';
    const html = ((await client.readResource({ uri: 'ui://lenses/connector-health.html' })).contents[0] as { text: string }).text;
    const result: CallToolResult = {
      content: [{ type: 'text', text: '(see structuredContent)' }],
      structuredContent: {
        total: 1,
        offset: 0,
        next_offset: null,
        items: [{ name: hostile, cluster: 'c', state: 'FAILED', tasks: [{ id: 0, state: hostile }] }],
      },
    };
    await page.evaluate(([page_, answer]) => (window as unknown as { loadView(...a: unknown[]): Promise<void> }).loadView(page_, {}, answer), [
      html,
      result,
    ] as const);
    const view = page.frameLocator('iframe');
    await view.getByRole('table', { name: 'Connectors' }).waitFor();
    assert.equal(await view.locator('tbody tr td').first().textContent(), hostile);
    assert.equal(await view.locator('img').count(), 0);
    assert.notEqual(await view.locator('title').textContent(), 'pwned');
    assert.deepEqual(network, []);
  });
});
