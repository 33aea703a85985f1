import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { ApiKeyAuthenticator } from '../../../src/mcp/auth/apiKeyAuthenticator';
import { fixedGovernance, OPEN_POLICY } from '../../../src/mcp/governance';
import { startMcpHttpServer, type RunningMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { ALL_SCOPES } from '../../../src/scopes';
import { SCALED_ENVIRONMENT, scaledTopicName } from '../../../hq-emulator/api/scale';
import { startHq, type RunningHq } from '../../../hq-emulator/testing';
import { connectClient } from './harness';

interface Page {
  total: number;
  items: Array<{ topicName?: string; name?: string }>;
  next_offset: number | null;
}

/**
 * Walking every page of a large list: the server asks HQ for the whole list once and answers
 * the next pages from a short-lived cache (per credential), instead of refetching it per page.
 */
describe('paging list_topics against the emulator (HQ list answers reused while paging)', function () {
  this.timeout(120_000);
  const env = SCALED_ENVIRONMENT;
  let hq: RunningHq;
  let mcp: RunningMcpHttpServer;
  let client: Client;
  const topicFetches: string[] = [];

  before(async () => {
    hq = await startHq({ port: 0, scale: 2_000 });
    // What reaches HQ: the topic list route, by method.
    const recordingFetch: typeof fetch = (input, init) => {
      if ((input instanceof Request ? input.url : input.toString()).split('?')[0].endsWith(`/environments/${env}/proxy/api/topics`))
        topicFetches.push(init?.method ?? 'GET');
      return fetch(input, init);
    };
    mcp = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: hq.url,
      authenticator: new ApiKeyAuthenticator(hq.apiKey, ALL_SCOPES),
      fetch: recordingFetch,
      // The scaled environment is production: no confirmation question for the one write below.
      governance: fixedGovernance({ tools: OPEN_POLICY, protectedEnvironments: [] }),
    });
    client = await connectClient(mcp.url, hq.apiKey);
  });
  after(async () => {
    await client?.close();
    await mcp?.close();
    await hq?.close();
  });

  async function page(args: Record<string, unknown>): Promise<Page> {
    const result = await client.callTool({ name: 'list_topics', arguments: { environment: env, ...args } });
    assert.notEqual(result.isError, true, JSON.stringify(result.content));
    return result.structuredContent as Page;
  }

  it('a full page walk costs HQ at most 2 fetches of the whole list, and sees every topic once', async () => {
    topicFetches.length = 0;
    const names = new Set<string>();
    let pages = 0;
    let offset: number | null = 0;
    while (offset !== null) {
      const answer = await page({ offset });
      for (const item of answer.items) names.add(item.topicName ?? item.name ?? '');
      offset = answer.next_offset;
      pages += 1;
    }
    assert.ok(pages > 5, `expected many pages, walked ${pages}`);
    assert.equal(names.size, 2_001);
    assert.ok(names.has(scaledTopicName(1_999)));
    assert.ok(topicFetches.length <= 2, `HQ was asked for the whole topic list ${topicFetches.length} times over ${pages} pages`);
  });

  it('a write to the environment drops the held list: the next page counts the new topic', async () => {
    const before = await page({});
    const created = await client.callTool({
      name: 'create_topic',
      arguments: { environment: env, topic_name: 'aaa-new-after-cache', partitions: 1, replication: 1 },
    });
    assert.notEqual(created.isError, true, JSON.stringify(created.content));
    const gets = () => topicFetches.filter((method) => method === 'GET').length;
    const getsBefore = gets();
    const next = await page({ offset: 1 });
    assert.equal(next.total, before.total + 1);
    assert.equal(gets(), getsBefore + 1, 'the next page after a write asks HQ again');
  });

  it('a new question (no offset) asks HQ, so it sees what changed there; the next pages reuse that answer', async () => {
    await page({});
    const fetched = topicFetches.length;
    // Pages past the first reuse the answer the first page fetched.
    await page({ offset: 200 });
    await page({ offset: 400 });
    assert.equal(topicFetches.length, fetched);
    await page({});
    assert.equal(topicFetches.length, fetched + 1);
  });
});
