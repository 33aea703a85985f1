import assert from 'node:assert/strict';
import { isSafePathSegment, path, UnsafePathSegmentError } from '../../../src/lenses';
import { urlOf } from '../../support/requestUrl';
import { allText, connectInMemory } from './inMemoryServer';

function recordingHq() {
  const urls: string[] = [];
  const fetchImpl: typeof fetch = async (input) => {
    urls.push(urlOf(input));
    return Response.json({ topicName: 'x' });
  };
  return { urls, fetch: fetchImpl };
}

async function connect(fetchImpl: typeof fetch) {
  return (await connectInMemory({ fetch: fetchImpl, defaultAccess: { kind: 'granted', token: 't', scopes: new Set(['read', 'write', 'delete']) } })).client;
}

const huge = 'a'.repeat(100_000);

describe('path segments and query arguments', () => {
  it('RS-14 a legal Kafka topic name with ".." inside (orders..v2) is one encoded segment; exactly "." or ".." is refused', () => {
    assert.equal(path`/api/topics/${'orders..v2'}`, '/api/topics/orders..v2');
    assert.equal(path`/api/topics/${'..orders'}`, '/api/topics/..orders');
    assert.equal(path`/api/topics/${'a b'}`, '/api/topics/a%20b');
    for (const bad of ['.', '..', '../x', 'x/..', '..%2F', '']) assert.throws(() => path`/api/topics/${bad}`, UnsafePathSegmentError, JSON.stringify(bad));
  });

  it('RS-14 a path segment over 1024 characters is refused before any request is built', () => {
    assert.equal(isSafePathSegment('a'.repeat(1024)), true);
    assert.equal(isSafePathSegment('a'.repeat(1025)), false);
    assert.throws(
      () => path`/api/consumers/${huge}`,
      (e: unknown) => e instanceof UnsafePathSegmentError && e.message.length < 400,
    );
  });

  const oversized: Array<[tool: string, args: Record<string, unknown>, argument: string]> = [
    ['get_topic', { environment: 'dev', topic_name: huge }, 'topic_name'],
    ['get_topic', { environment: huge, topic_name: 'orders' }, 'environment'],
    ['delete_consumer_group', { environment: 'dev', group_id: huge }, 'group_id'],
    ['get_pod_logs', { environment: 'dev', cluster: 'c', namespace: 'n', pod: huge }, 'pod'],
    ['list_datasets', { environment: 'dev', search: huge }, 'search'],
    ['list_datasets', { environment: 'dev', tags: [huge] }, 'tags.0'],
    ['list_datasets', { environment: 'dev', connections: Array.from({ length: 101 }, () => 'kafka') }, 'connections'],
    ['list_approval_requests', { environment: 'dev', entity_name: huge }, 'entity_name'],
    ['list_kafka_connectors', { environment: 'dev', cluster: [huge] }, 'cluster.0'],
    ['list_topics', { environment: 'dev', filter: huge }, 'filter'],
    ['list_topics', { environment: 'dev', offset: -1 }, 'offset'],
    ['list_topics', { environment: 'dev', limit: 5000 }, 'limit'],
    ['list_datasets', { environment: 'dev', page: 2, offset: 10 }, 'page'],
  ];
  for (const [tool, args, argument] of oversized) {
    it(`RS-14 ${tool} with an out-of-bounds "${argument}" is a tool error naming it, with nothing sent to HQ`, async () => {
      const hq = recordingHq();
      const client = await connect(hq.fetch);
      try {
        const result = await client.callTool({ name: tool, arguments: args });
        assert.equal(result.isError, true);
        assert.match(allText(result), new RegExp(`^Invalid arguments for ${tool}: .*argument "${argument.replace('.', '\\.')}"`));
        assert.ok(allText(result).length < 1000, 'the error does not echo the value');
        assert.deepEqual(hq.urls, []);
      } finally {
        await client.close();
      }
    });
  }

  it('RS-14 a topic name with ".." inside reaches HQ as that one segment', async () => {
    const hq = recordingHq();
    const client = await connect(hq.fetch);
    try {
      const result = await client.callTool({ name: 'get_topic', arguments: { environment: 'dev', topic_name: 'orders..v2' } });
      assert.equal(result.isError, undefined, allText(result));
      assert.deepEqual(hq.urls, ['http://hq.test/api/v1/environments/dev/proxy/api/topics/orders..v2']);
      const refused = await client.callTool({ name: 'get_topic', arguments: { environment: 'dev', topic_name: '..' } });
      assert.equal(refused.isError, true);
      assert.match(allText(refused), /argument "topic_name"/);
      assert.equal(hq.urls.length, 1);
    } finally {
      await client.close();
    }
  });
});
