import assert from 'node:assert/strict';
import { type CallToolResult, Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ApiKeyAuthenticator } from '../../../src/mcp/auth/apiKeyAuthenticator';
import { startMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { ALL_SCOPES } from '../../../src/scopes';
import { SCALED_ENVIRONMENT, scaledTopicName, WIDE_TOPIC } from '../../../hq-emulator/api/scale';
import type { RunningHq } from '../../../hq-emulator/testing';
import { startApiKeyMcp, type ApiKeyMcp } from './harness';

/**
 * A production-sized estate: the emulator at `--scale 10000` (10,001 topics with the wide
 * one, 2,500 consumer groups, 500 connectors, 100 SQL processors, a 100,000-record topic),
 * our server in API-key mode over streamable HTTP, and the SDK client, which checks every
 * structuredContent against the tool's outputSchema.
 */
describe('tool answers at --scale 10000 (bounded, paged, filterable, typed)', function () {
  this.timeout(120_000);
  const BUDGET = 24_000;
  const env = SCALED_ENVIRONMENT;
  let running: ApiKeyMcp | undefined;
  let hq: RunningHq;
  let client: Client;
  let outputSchemas: Map<string, unknown>;

  before(async () => {
    running = await startApiKeyMcp({ scale: 10_000 });
    ({ hq, client } = running);
    outputSchemas = new Map(running.tools.filter((tool) => tool.outputSchema).map((tool) => [tool.name, tool.outputSchema]));
  });
  after(async () => {
    await running?.close();
  });

  async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    const result = await client.callTool({ name, arguments: args });
    assert.notEqual(result.isError, true, `${name}: ${textOf(result)}`);
    return result;
  }

  /** HQ's own answer, for the sizes the official server would have returned. */
  async function raw(path: string): Promise<string> {
    const response = await fetch(`${hq.url}${path}`, { headers: { Authorization: `Bearer ${hq.apiKey}` } });
    return response.text();
  }

  interface Page<T = Record<string, unknown>> {
    total: number;
    offset: number;
    items: T[];
    next_offset: number | null;
    note?: string;
  }
  const pageOf = <T = Record<string, unknown>>(result: CallToolResult) => result.structuredContent as Page<T>;

  const growing: Array<[tool: string, args: Record<string, unknown>]> = [
    ['list_topics', { environment: env }],
    ['list_topic_metadata', { environment: env }],
    ['list_datasets', { environment: env, page_size: 1000 }],
    ['list_consumer_groups', { environment: env }],
    ['list_kafka_connectors', { environment: env }],
    ['list_sql_processors', { environment: env }],
    ['list_approval_requests', { environment: env, page_size: 1000 }],
  ];

  it('declares an outputSchema {total, offset, items, next_offset} on every list tool', () => {
    for (const name of [
      'list_topics',
      'list_topic_metadata',
      'list_datasets',
      'list_consumer_groups',
      'list_consumer_groups_by_topic',
      'list_kafka_connectors',
      'list_sql_processors',
      'list_approval_requests',
      'list_environments',
    ]) {
      const schema = outputSchemas.get(name) as { type: string; properties: Record<string, unknown>; required: string[] } | undefined;
      assert.ok(schema, name);
      assert.equal(schema.type, 'object');
      assert.deepEqual([...schema.required].sort(), ['items', 'next_offset', 'offset', 'total'], name);
    }
  });

  for (const [tool, args] of growing) {
    it(`${tool} with only the official arguments stays within the budget, in whole items, and says how to see more`, async () => {
      const result = await call(tool, args);
      const text = textOf(result);
      assert.ok(text.length <= BUDGET, `${tool}: ${text.length} characters`);
      // Several clients hand the model only structuredContent: it is bounded too, and carries the note.
      assert.ok(JSON.stringify(result.structuredContent).length <= BUDGET, `${tool}: structuredContent size`);
      const { body, note } = splitNote(text);
      const page = pageOf(result);
      assert.ok(page.items.length > 0, tool);
      assert.equal(page.offset, 0);
      if (page.next_offset !== null) {
        assert.ok(note, `${tool} has a note`);
        assert.match(note, /^showing 1–[\d,]+ of [\d,]+ .*; pass (page=2 \(or )?offset=\d+/);
        assert.equal(page.note, note);
      }
      // The text is the official shape around exactly the items of structuredContent.
      assert.deepEqual(itemsIn(body), page.items, tool);
    });
  }

  it('list_topics: offset/limit paging visits every one of the 10,001 topics exactly once', async () => {
    const seen: string[] = [];
    let offset: number | null = 0;
    let pages = 0;
    while (offset !== null) {
      const result = await call('list_topics', { environment: env, offset, limit: 1000 });
      assert.ok(textOf(result).length <= BUDGET);
      const page: Page<{ topicName: string }> = pageOf(result);
      assert.equal(page.offset, offset);
      assert.equal(page.total, 10_001);
      seen.push(...page.items.map((topic) => topic.topicName));
      offset = page.next_offset;
      pages++;
    }
    assert.ok(pages > 10, `${pages} pages`);
    assert.equal(seen.length, 10_001);
    assert.equal(new Set(seen).size, 10_001);
    const expected = [...Array.from({ length: 10_000 }, (_, i) => scaledTopicName(i)), WIDE_TOPIC].sort((a, b) => (a < b ? -1 : 1));
    assert.deepEqual(seen, expected);
  });

  it('list_consumer_groups and list_kafka_connectors: paging visits every item exactly once (at a 400,000-character budget, to keep the test short)', async () => {
    const wide = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: hq.url,
      authenticator: new ApiKeyAuthenticator(hq.apiKey, ALL_SCOPES),
      maxToolOutputChars: 400_000,
    });
    const wideClient = new Client({ name: 'scale-test-wide', version: '1' });
    try {
      await wideClient.connect(new StreamableHTTPClientTransport(new URL(wide.url), { requestInit: { headers: { Authorization: `Bearer ${hq.apiKey}` } } }));
      await wideClient.listTools();
      // Lenses' published connector list items are small: all 500 fit the budget, so that walk pages with limit.
      for (const [tool, total, key, limit] of [
        ['list_consumer_groups', 2_500, 'id', undefined],
        ['list_kafka_connectors', 500, 'name', 200],
      ] as const) {
        const seen = new Set<string>();
        let offset: number | null = 0;
        let pages = 0;
        while (offset !== null) {
          const result = await wideClient.callTool({ name: tool, arguments: { environment: env, offset, ...(limit ? { limit } : {}) } });
          assert.ok(textOf(result).length <= 400_000);
          const page: Page = pageOf(result);
          pages++;
          for (const item of page.items) {
            assert.ok(!seen.has(String(item[key])), `${tool}: ${String(item[key])} twice`);
            seen.add(String(item[key]));
          }
          offset = page.next_offset;
        }
        assert.equal(seen.size, total, tool);
        assert.ok(pages > 1, `${tool}: ${pages} pages`);
      }
    } finally {
      await wideClient.close();
      await wide.close();
    }
  });

  it('list_datasets: offset walks Lenses pages; the page after the first official page follows on', async () => {
    const first = pageOf<{ name: string }>(await call('list_datasets', { environment: env }));
    assert.equal(first.items.length, 25);
    assert.equal(first.next_offset, 25);
    const seen = first.items.map((d) => d.name);
    let offset: number | null = first.next_offset;
    while (offset !== null && offset < 2_100) {
      const page: Page<{ name: string }> = pageOf(await call('list_datasets', { environment: env, offset }));
      seen.push(...page.items.map((d) => d.name));
      offset = page.next_offset;
    }
    const everyName = (
      JSON.parse(await raw(`/api/v1/environments/${env}/proxy/api/v1/datasets?pageSize=1000&page=1`)) as { datasets: { values: Array<{ name: string }> } }
    ).datasets.values.map((d) => d.name);
    const secondPage = (
      JSON.parse(await raw(`/api/v1/environments/${env}/proxy/api/v1/datasets?pageSize=1000&page=2`)) as { datasets: { values: Array<{ name: string }> } }
    ).datasets.values.map((d) => d.name);
    const third = (
      JSON.parse(await raw(`/api/v1/environments/${env}/proxy/api/v1/datasets?pageSize=1000&page=3`)) as { datasets: { values: Array<{ name: string }> } }
    ).datasets.values.map((d) => d.name);
    assert.deepEqual(seen, [...everyName, ...secondPage, ...third].slice(0, seen.length), 'in Lenses order, each once, across Lenses page boundaries');
    assert.ok(seen.length >= 2_100);
  });

  it('filter finds a known topic among 10,000, and a glob finds exactly its matches', async () => {
    const known = scaledTopicName(4321);
    const exact = pageOf<{ topicName: string }>(await call('list_topics', { environment: env, filter: known.toUpperCase() }));
    assert.deepEqual(
      exact.items.map((t) => t.topicName),
      [known],
    );
    assert.equal(exact.total, 1);
    const glob = pageOf<{ topicName: string }>(await call('list_topics', { environment: env, filter: 'payments.refunds.*.v3' }));
    const expected = Array.from({ length: 10_000 }, (_, i) => scaledTopicName(i))
      .filter((name) => /^payments\.refunds\..*\.v3$/.test(name))
      .sort();
    assert.deepEqual(glob.items.map((t) => t.topicName).sort(), expected);
    assert.ok(expected.length > 0);
    const datasets = pageOf<{ name: string }>(await call('list_datasets', { environment: env, filter: known }));
    assert.deepEqual(
      datasets.items.map((d) => d.name),
      [known],
    );
    const groups = pageOf<{ id: string }>(await call('list_consumer_groups', { environment: env, filter: 'iot-indexer-*' }));
    assert.ok(groups.total > 0 && groups.items.every((g) => g.id.startsWith('iot-indexer-')));
  });

  it('list_topics rows are compact: name, partitions, replication, messages, key/value types, tags', async () => {
    const page = pageOf(await call('list_topics', { environment: env, filter: scaledTopicName(7) }));
    assert.deepEqual(Object.keys(page.items[0]).sort(), ['keyType', 'partitions', 'replication', 'tags', 'topicName', 'totalMessages', 'valueType']);
  });

  it('list_consumer_groups_by_topic and list_environments answer within the budget', async () => {
    for (const [tool, args] of [
      ['list_consumer_groups_by_topic', { environment: env, topic: scaledTopicName(0) }],
      ['list_environments', {}],
    ] as const) {
      const result = await call(tool, args);
      assert.ok(textOf(result).length <= BUDGET, tool);
      assert.ok(pageOf(result).items.length > 0, tool);
    }
  });

  it('execute_sql over 100,000 records stops at the budget with "truncated after N rows", progress streaming first', async () => {
    const progress: number[] = [];
    const result = await client.callTool(
      { name: 'execute_sql', arguments: { environment: env, sql: `SELECT * FROM ${WIDE_TOPIC}` } },
      {
        onprogress: (p) => progress.push(p.progress),
      },
    );
    assert.notEqual(result.isError, true, textOf(result));
    const text = textOf(result);
    assert.ok(text.length <= BUDGET, String(text.length));
    const answer = JSON.parse(text) as { records: unknown[]; truncated: boolean; note: string };
    assert.equal(answer.truncated, true);
    assert.match(answer.note, new RegExp(`^truncated after ${answer.records.length} rows: add LIMIT or a WHERE`));
    assert.ok(answer.records.length > 10);
    assert.equal(progress[0], 0);
    assert.ok(progress.length >= 2);
    const limited = JSON.parse(textOf(await call('execute_sql', { environment: env, sql: `SELECT * FROM ${WIDE_TOPIC} LIMIT 20` }))) as unknown[];
    assert.equal(limited.length, 20, 'a query that fits is answered in full, as before');
  });

  it('get_pod_logs of a 2,000-line log shows the most recent whole lines; offset reads from the start', async () => {
    const pod = (
      JSON.parse(await raw(`/api/v1/environments/${env}/proxy/api/v2/streams`)) as {
        processors: Array<{ id: string; deployment: { status: { replicas: Array<{ id: string }> } } }>;
      }
    ).processors.find((p) => p.id.startsWith(scaledTopicName(0).replace(/\./g, '-')));
    assert.ok(pod);
    const podName = pod.deployment.status.replicas[0].id;
    const args = { environment: env, cluster: 'prod-k8s', namespace: 'streaming', pod: podName };
    const full = await raw(`/api/v1/environments/${env}/proxy/api/v1/k8s/logs/prod-k8s/streaming/${podName}/download`);
    assert.ok(full.length > BUDGET);
    const tail = textOf(await call('get_pod_logs', args));
    assert.ok(tail.length <= BUDGET);
    const [body, note] = tail.split('\n\n');
    assert.ok(full.trimEnd().endsWith(body), 'whole lines, ending at the last one');
    assert.match(note, /^showing log lines [\d,]+–2,000 of 2,000 \(the most recent\); pass offset=0/);
    const head = textOf(await call('get_pod_logs', { ...args, offset: 0 }));
    assert.ok(full.startsWith(head.split('\n\n')[0]));
    const warnings = textOf(await call('get_pod_logs', { ...args, filter: 'WARN' }));
    assert.equal(warnings.split('\n\n')[0].split('\n').length, 7);
  });

  it('the official shape of list_topics would be far over the budget', async () => {
    const official = await raw(`/api/v1/environments/${env}/proxy/api/topics`);
    assert.ok(JSON.stringify(JSON.parse(official), null, 2).length > 100 * BUDGET);
  });
});

function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** The JSON before the closing note (pretty JSON never holds a blank line), and the note. */
function splitNote(text: string): { body: unknown; note?: string } {
  const at = text.lastIndexOf('\n\n');
  return at < 0 ? { body: JSON.parse(text) } : { body: JSON.parse(text.slice(0, at)), note: text.slice(at + 2) };
}

/** The items inside an official answer: the list itself, `{data|processors|values}`, or `{datasets: {values}}`. */
function itemsIn(body: unknown): unknown {
  if (Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  for (const key of ['data', 'processors', 'values']) if (Array.isArray(record[key])) return record[key];
  return (record.datasets as { values: unknown[] }).values;
}
