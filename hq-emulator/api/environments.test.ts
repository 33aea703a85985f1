import assert from 'node:assert/strict';
import { body, startTestApi, type TestApi } from './testServer';

interface Environment {
  name: string;
  display_name: string;
  id: string;
  created_at: string;
  tier: string;
  metadata: Record<string, unknown>;
  status: {
    agent_connected: boolean;
    agent?: { agent: { version: string }; metrics?: { kafka: { num_brokers: number }; data: { num_topics: number }; other: { num_issues: number } } };
  };
}

describe('Lenses API emulator: environments', () => {
  let hq: TestApi;
  beforeEach(async () => (hq = await startTestApi()));
  afterEach(() => hq.close());

  it('lists a connected dev and a disconnected staging environment', async () => {
    const response = await hq.request('GET', '/api/v1/environments', { token: 'r' });
    assert.equal(response.status, 200);
    const { items } = body<{ items: Environment[] }>(response);
    const dev = items.find((environment) => environment.name === 'dev');
    const staging = items.find((environment) => environment.name === 'staging');
    assert.ok(dev && staging);
    assert.equal(dev.status.agent_connected, true);
    assert.equal(dev.status.agent?.metrics?.kafka.num_brokers, 3);
    assert.match(dev.status.agent?.agent.version ?? '', /^\d+\.\d+/);
    assert.ok((dev.status.agent?.metrics?.other.num_issues ?? 0) >= 2, 'the failed connector task and the failed processor');
    assert.equal(staging.status.agent_connected, false);
    assert.equal(staging.status.agent?.metrics, undefined);
    for (const key of ['display_name', 'lrn', 'id', 'created_at', 'tier', 'metadata']) assert.ok(key in dev, key);
  });

  it('gets one environment by name, 404 for an unknown one', async () => {
    const dev = body<Environment>(await hq.request('GET', '/api/v1/environments/dev', { token: 'r' }));
    assert.equal(dev.display_name, 'Development');
    assert.equal((await hq.request('GET', '/api/v1/environments/nope', { token: 'r' })).status, 404);
  });

  it('creates an environment that is then listed, without a connected agent', async () => {
    const response = await hq.request('POST', '/api/v1/environments', { token: 'rw', body: { name: 'qa-eu', tier: 'staging', metadata: { team: 'qa' } } });
    assert.equal(response.status, 201);
    const createdEnvironment = body<Environment>(response);
    assert.equal(createdEnvironment.display_name, 'qa-eu');
    assert.equal(createdEnvironment.status.agent_connected, false);
    assert.deepEqual(createdEnvironment.metadata, { team: 'qa' });
    const { items } = body<{ items: Environment[] }>(await hq.request('GET', '/api/v1/environments', { token: 'r' }));
    assert.ok(items.some((environment) => environment.name === 'qa-eu'));
    assert.equal(hq.changes, 1);
    assert.equal((await hq.agent('GET', '/api/topics', { token: 'r', environment: 'qa-eu' })).status, 503);
  });

  it('refuses a bad name or tier with invalid_fields, a duplicate with 409', async () => {
    const response = await hq.request('POST', '/api/v1/environments', { token: 'rw', body: { name: '-Bad_Name', tier: 'prod' } });
    assert.equal(response.status, 400);
    const fields = body<{ invalid_fields: Array<{ name: string }> }>(response).invalid_fields.map((f) => f.name);
    assert.deepEqual(fields.sort(), ['name', 'tier']);
    assert.equal((await hq.request('POST', '/api/v1/environments', { token: 'rw', body: { name: 'dev' } })).status, 409);
    assert.equal(hq.changes, 0);
  });
});
