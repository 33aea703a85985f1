import assert from 'node:assert/strict';
import { createLensesApi } from './index';
import { body, fakeAuthenticate, startTestApi, type TestApi } from './testServer';

describe('Lenses API emulator: state snapshots', () => {
  let hq: TestApi | undefined;
  let restored: TestApi | undefined;
  afterEach(async () => {
    await hq?.close();
    await restored?.close();
    hq = restored = undefined;
  });

  it('restores every change from a JSON round-tripped snapshot', async () => {
    hq = await startTestApi();
    await hq.agent('POST', '/api/topics', { token: 'rw', body: { topicName: 'kept-topic', partitions: 2, replication: 1 } });
    await hq.agent('DELETE', '/api/consumers/orders-archiver', { token: 'rwd' });
    await hq.request('POST', '/api/v1/environments', { token: 'rw', body: { name: 'qa' } });
    assert.equal(hq.changes, 3);

    restored = await startTestApi(JSON.parse(JSON.stringify(hq.api.snapshot())));
    const topics = body<Array<{ topicName: string }>>(await restored.agent('GET', '/api/topics', { token: 'r' }));
    assert.ok(topics.some((topic) => topic.topicName === 'kept-topic'));
    const groups = body<Array<{ id: string }>>(await restored.agent('GET', '/api/consumers', { token: 'r' }));
    assert.ok(!groups.some((group) => group.id === 'orders-archiver'));
    assert.equal((await restored.request('GET', '/api/v1/environments/qa', { token: 'r' })).status, 200);
    assert.equal(restored.changes, 0);
  });

  it('keeps the snapshot independent of later changes', async () => {
    hq = await startTestApi();
    const before = hq.api.snapshot();
    await hq.agent('POST', '/api/topics', { token: 'rw', body: { topicName: 'later', partitions: 1, replication: 1 } });
    assert.ok(!JSON.stringify(before).includes('"later"'));
    assert.ok(JSON.stringify(hq.api.snapshot()).includes('"later"'));
  });

  it('does not call onChange for reads, refusals or validation', async () => {
    hq = await startTestApi();
    await hq.agent('GET', '/api/topics', { token: 'r' });
    await hq.agent('POST', '/api/topics', { token: 'r', body: { topicName: 'x' } });
    await hq.agent('POST', '/api/topics', { token: 'rw', body: { topicName: 'orders' } });
    await hq.agent('POST', '/api/kafka-connect/validate', { token: 'r', body: { name: 'x', cluster: 'connect-main', configuration: {} } });
    assert.equal(hq.changes, 0);
  });

  it('refuses an initial state that is not a snapshot', () => {
    assert.throws(() => createLensesApi({ authenticate: fakeAuthenticate, initialState: { topics: [] } }), /not a snapshot/);
  });
});
