import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/client';
import tools from './official-tools.json';
import type { ToolAccess } from '../../../src/mcp/server';
import { LENSES_TOOLS } from '../../../src/mcp/tools';
import { parseScopes, type Scope } from '../../../src/scopes';
import { bodyText, urlOf } from '../../support/requestUrl';
import { connectInMemory } from './inMemoryServer';

interface RecordedCall {
  method: string;
  url: string;
  authorization: string | null;
  body: unknown;
}

/** A fake HQ: records each call and answers with `answer(call)`. */
function fakeHq(answer: (call: RecordedCall) => Response = () => Response.json({ ok: true })) {
  const calls: RecordedCall[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    const call: RecordedCall = {
      method: init?.method ?? 'GET',
      url: urlOf(input),
      authorization: headers.get('authorization'),
      body: init?.body ? (JSON.parse(bodyText(init)) as unknown) : undefined,
    };
    calls.push(call);
    return answer(call);
  };
  return { calls, fetch: fetchImpl };
}

async function connect(access: ToolAccess, fetchImpl: typeof fetch, hooks: { tokenRejected?(t: string): void; sessionLost?(r: string): void } = {}) {
  const { client, server } = await connectInMemory({ fetch: fetchImpl, defaultAccess: access, ...hooks });
  return { client, server, close: () => client.close() };
}

const granted = (...scopes: Scope[]): ToolAccess => ({ kind: 'granted', token: 'tok-123', scopes: new Set(scopes) });
const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;

describe('Lenses MCP server (in memory)', () => {
  it('declares the 45 official tools with their official scopes and parameter names', () => {
    assert.equal(LENSES_TOOLS.length, 45);
    for (const official of tools.tools) {
      const ours = LENSES_TOOLS.find((tool) => tool.name === official.name);
      assert.ok(ours, official.name);
      assert.equal(ours.scope, official.scope, official.name);
    }
  });

  for (const [scopes, count] of [
    ['read', 24],
    ['read write', 40],
    ['read write delete', 45],
  ] as const) {
    it(`lists ${count} tools for a token with "${scopes}"`, async () => {
      const hq = fakeHq();
      const { client, close } = await connect(granted(...parseScopes(scopes)), hq.fetch);
      try {
        const { tools: listed } = await client.listTools();
        assert.equal(listed.length, count);
      } finally {
        await close();
      }
    });
  }

  it('lists each tool with its official arguments, required ones required, and strict schemas', async () => {
    const { client, close } = await connect(granted('read', 'write', 'delete'), fakeHq().fetch);
    try {
      const { tools: listed } = await client.listTools();
      for (const official of tools.tools) {
        const tool = listed.find((t) => t.name === official.name);
        assert.ok(tool, official.name);
        // The official arguments first, in order; after them only the navigation arguments of list tools (and list_consumer_groups' detail).
        const names = Object.keys(tool.inputSchema.properties ?? {});
        assert.deepEqual(
          names.slice(0, official.params.length),
          official.params.map((p) => p.name),
          official.name,
        );
        const extras = official.name === 'list_consumer_groups' ? [['filter', 'offset', 'limit', 'detail']] : [[], ['filter', 'offset', 'limit']];
        assert.ok(
          extras.some((extra) => JSON.stringify(names.slice(official.params.length)) === JSON.stringify(extra)),
          official.name,
        );
        assert.deepEqual(
          [...(tool.inputSchema.required ?? [])].sort(),
          official.params
            .filter((p) => p.required)
            .map((p) => p.name)
            .sort(),
          official.name,
        );
        assert.equal((tool.inputSchema as { additionalProperties?: boolean }).additionalProperties, false, official.name);
        assert.equal(tool.annotations?.readOnlyHint, official.scope === 'read', official.name);
        if (official.scope === 'delete') assert.equal(tool.annotations?.destructiveHint, true, `${official.name} is marked destructive`);
        if (official.scope === 'read') assert.equal(tool.annotations?.destructiveHint, false, official.name);
        assert.ok(`mcp_lenses_${tool.name}`.length <= 60, tool.name);
        for (const [name, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
          assert.ok((schema as { description?: string }).description, `${official.name}.${name} has a description`);
        }
      }
    } finally {
      await close();
    }
  });

  it('forwards the token to HQ and answers JSON as text and structuredContent', async () => {
    const hq = fakeHq(() => Response.json([{ name: 'retention.ms', value: '1000' }]));
    const { client, close } = await connect(granted('read'), hq.fetch);
    try {
      const result = await client.callTool({ name: 'get_topic_broker_configs', arguments: { environment: 'dev', topic_name: 'orders' } });
      assert.equal(result.isError, undefined);
      assert.deepEqual(result.structuredContent, { result: [{ name: 'retention.ms', value: '1000' }] });
      assert.deepEqual(JSON.parse(text(result)), [{ name: 'retention.ms', value: '1000' }]);
      assert.equal(hq.calls[0].url, 'http://hq.test/api/v1/environments/dev/proxy/api/topics/orders/brokerConfigs');
      assert.equal(hq.calls[0].authorization, 'Bearer tok-123');
    } finally {
      await close();
    }
  });

  for (const [label, args] of [
    ['../ in a name', { environment: 'dev', topic_name: '../admin' }],
    ['%2F in a name', { environment: 'dev', topic_name: 'a%2Fb' }],
    ['/ in the environment', { environment: 'dev/x', topic_name: 'a' }],
    ['a wrong type', { environment: 'dev', topic_name: 7 }],
    ['a missing argument', { environment: 'dev' }],
    ['an extra argument', { environment: 'dev', topic_name: 'a', force: true }],
  ] as const) {
    it(`RS-14 ${label} is a tool error naming the argument, with no HQ call`, async () => {
      const hq = fakeHq();
      const { client, close } = await connect(granted('read'), hq.fetch);
      try {
        const result = await client.callTool({ name: 'get_topic', arguments: args });
        assert.equal(result.isError, true);
        assert.match(text(result), /Invalid arguments for get_topic: .*(topic_name|environment|force)/);
        assert.equal(hq.calls.length, 0);
      } finally {
        await close();
      }
    });
  }

  it('applies the official body checks (connector action, environment tier, offsets target, approval UUID)', async () => {
    const hq = fakeHq();
    const { client, close } = await connect(granted('read', 'write', 'delete'), hq.fetch);
    try {
      const bad = [
        ['set_action_on_kafka_connector', { environment: 'dev', cluster: 'c', connector: 'n', action: 'explode' }, /action/],
        ['create_environment', { name: 'dev', tier: 'gold' }, /tier/],
        ['create_environment', { name: '-bad-' }, /name/],
        ['update_consumer_group_offsets', { environment: 'dev', group_id: 'g', topics: ['t'], reset_to: 'timestamp' }, /target/],
        ['get_approval_request', { environment: 'dev', request_id: 'not-a-uuid' }, /request_id/],
        ['list_approval_requests', { environment: 'dev', statuses: ['Maybe'] }, /statuses/],
      ] as const;
      for (const [name, args, pattern] of bad) {
        const result = await client.callTool({ name, arguments: args });
        assert.equal(result.isError, true, name);
        assert.match(text(result), pattern, name);
      }
      assert.equal(hq.calls.length, 0);
    } finally {
      await close();
    }
  });

  it('turns an RFC 7807 answer into one readable sentence with the detail and request id', async () => {
    const hq = fakeHq(() =>
      Response.json({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'Topic nope does not exist', request_id: 'req-9' }, { status: 404 }),
    );
    const { client, close } = await connect(granted('read'), hq.fetch);
    try {
      const result = await client.callTool({ name: 'get_topic', arguments: { environment: 'dev', topic_name: 'nope' } });
      assert.equal(result.isError, true);
      assert.match(text(result), /^get_topic failed: Lenses answered 404 Not Found: Topic nope does not exist \(request id req-9\)\./);
      assert.doesNotMatch(text(result), /\s+at\s/);
    } finally {
      await close();
    }
  });

  it('RS-15 an HQ 401 is a tool error saying to re-authenticate, and reports the token as rejected', async () => {
    const rejected: string[] = [];
    const hq = fakeHq(() => Response.json({ title: 'Unauthorized', status: 401 }, { status: 401 }));
    const { client, close } = await connect(granted('read'), hq.fetch, { tokenRejected: (token) => rejected.push(token) });
    try {
      const result = await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } });
      assert.equal(result.isError, true);
      assert.match(text(result), /Re-authenticate/);
      assert.deepEqual(rejected, ['tok-123']);
    } finally {
      await close();
    }
  });

  it('signed out: lists the signed-out scopes and answers calls with the sign-in message', async () => {
    const lost: string[] = [];
    const hq = fakeHq();
    const access: ToolAccess = { kind: 'signed-out', scopes: new Set(['read']), message: 'Sign in to Lenses again to use this tool.' };
    const { client, close } = await connect(access, hq.fetch, { sessionLost: (reason) => lost.push(reason) });
    try {
      assert.equal((await client.listTools()).tools.length, 24);
      const result = await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } });
      assert.equal(result.isError, true);
      assert.equal(text(result), 'Sign in to Lenses again to use this tool.');
      assert.equal(lost.length, 1);
      assert.equal(hq.calls.length, 0);
    } finally {
      await close();
    }
  });

  it('serves the 10 official prompts', async () => {
    const { client, close } = await connect(granted('read'), fakeHq().fetch);
    try {
      const { prompts } = await client.listPrompts();
      assert.deepEqual(
        prompts.map((p) => p.name),
        tools.prompts.map((p) => p.name),
      );
      const sql = await client.getPrompt({ name: 'write_sql_query', arguments: { task: 'count orders' } });
      assert.match((sql.messages[0].content as { text: string }).text, /Task: count orders/);
    } finally {
      await close();
    }
  });
});
