import assert from 'node:assert/strict';
import { ConfigError, readConfig, VARIABLES } from '../../../src/mcp/standalone/config';
import { readSettings } from '../../../src/vscode/settings';
import { urlOf } from '../../support/requestUrl';
import { allText, connectInMemory } from './inMemoryServer';

/** A stand-in HQ answering every call with `body` and counting the calls. */
function stubHq(body: unknown) {
  const urls: string[] = [];
  const fetchImpl: typeof fetch = async (input) => {
    urls.push(urlOf(input));
    return Response.json(body);
  };
  return { urls, fetch: fetchImpl };
}

async function connect(fetchImpl: typeof fetch, maxToolOutputChars?: number | (() => number)) {
  return (
    await connectInMemory({
      fetch: fetchImpl,
      maxToolOutputChars,
      defaultAccess: { kind: 'granted', token: 't', scopes: new Set(['read', 'write', 'delete']) },
    })
  ).client;
}

const manyTopics = Array.from({ length: 3000 }, (_, i) => ({
  topicName: `t-${String(i).padStart(4, '0')}`,
  partitions: 3,
  replication: 3,
  totalMessages: i,
  keyType: 'STRING',
  valueType: 'JSON',
  tags: [],
}));

describe('the answer budget (LENSES_MAX_TOOL_OUTPUT_CHARS, lenses.mcp.maxToolOutputChars)', () => {
  it('LENSES_MAX_TOOL_OUTPUT_CHARS defaults to 24,000, is listed by --help, and a bad value is one line naming it', () => {
    assert.equal(readConfig({ LENSES_API_KEY: 'k' }).maxToolOutputChars, 24_000);
    assert.equal(readConfig({ LENSES_API_KEY: 'k', LENSES_MAX_TOOL_OUTPUT_CHARS: '50000' }).maxToolOutputChars, 50_000);
    assert.ok(VARIABLES.some((variable) => variable.name === 'LENSES_MAX_TOOL_OUTPUT_CHARS' && variable.default === '24000'));
    for (const bad of ['lots', '100', '0', '2000000', '-5']) {
      assert.throws(
        () => readConfig({ LENSES_API_KEY: 'k', LENSES_MAX_TOOL_OUTPUT_CHARS: bad }),
        (e: unknown) =>
          e instanceof ConfigError && /^LENSES_MAX_TOOL_OUTPUT_CHARS must be a whole number from 2000 to 1000000/.test(e.message) && !e.message.includes('\n'),
        bad,
      );
    }
  });

  it('the VS Code setting defaults to 24,000 and a value out of range is brought into it', () => {
    const reader = (values: Record<string, unknown>) => ({ get: <T>(key: string) => values[key] as T | undefined });
    assert.equal(readSettings(reader({})).maxToolOutputChars, 24_000);
    assert.equal(readSettings(reader({ 'lenses.mcp.maxToolOutputChars': 8_000 })).maxToolOutputChars, 8_000);
    assert.equal(readSettings(reader({ 'lenses.mcp.maxToolOutputChars': 10 })).maxToolOutputChars, 2_000);
    assert.equal(readSettings(reader({ 'lenses.mcp.maxToolOutputChars': 'big' })).maxToolOutputChars, 24_000);
  });

  it('the server holds answers to the budget it is given, read per call', async () => {
    let budget = 5_000;
    const hq = stubHq(manyTopics);
    const client = await connect(hq.fetch, () => budget);
    try {
      const small = allText(await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } }));
      assert.ok(small.length <= 5_000, String(small.length));
      budget = 50_000;
      const large = allText(await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } }));
      assert.ok(large.length > 20_000 && large.length <= 50_000, String(large.length));
    } finally {
      await client.close();
    }
  });

  it('a tool without paging arguments is still held to the budget by whole items, never a cut value', async () => {
    const configs = Array.from({ length: 2000 }, (_, i) => ({ name: `config.${i}`, value: 'v'.repeat(30) }));
    const client = await connect(stubHq(configs).fetch);
    try {
      const result = await client.callTool({ name: 'get_topic_broker_configs', arguments: { environment: 'dev', topic_name: 'orders' } });
      const answer = allText(result);
      assert.ok(answer.length <= 24_000, String(answer.length));
      const at = answer.lastIndexOf('\n\n');
      const shown = JSON.parse(answer.slice(0, at)) as typeof configs;
      assert.deepEqual(shown, configs.slice(0, shown.length));
      assert.match(
        answer.slice(at + 2),
        new RegExp(`^showing the first ${shown.length} of 2000 items: the whole answer is [\\d,]+ characters, over the 24,000-character answer budget`),
      );
    } finally {
      await client.close();
    }
  });
});
