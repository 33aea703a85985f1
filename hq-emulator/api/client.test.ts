import assert from 'node:assert/strict';
import { LensesClient } from '../../src/lenses/client';
import { LensesApiError } from '../../src/lenses/errors';
import { startTestApi, type TestApi } from './testServer';

/** The project's own HQ client (src/lenses/client.ts) against the emulator: what the MCP tools will see. */
describe('Lenses API emulator: seen through the project HQ client', () => {
  let hq: TestApi;
  beforeEach(async () => (hq = await startTestApi()));
  afterEach(() => hq.close());

  const client = (token: string) => new LensesClient({ baseUrl: hq.baseUrl, token: () => token });

  it('gets JSON, YAML text and an empty 204', async () => {
    const lenses = client('rwd');
    const environments = (await lenses.get('/api/v1/environments')) as { items: unknown[] };
    assert.equal(environments.items.length, 3);
    const yaml = await lenses.get(lenses.environmentPath('dev', '/api/v1/resource/kafka/connect/connect-main/connector/orders-s3-sink'));
    assert.equal(typeof yaml, 'string');
    assert.equal(await lenses.delete(lenses.environmentPath('dev', '/api/consumers/orders-archiver')), null);
  });

  it('turns hq_Error and agent_BadRequest answers into LensesApiError with status, text, request id and invalid fields', async () => {
    const lenses = client('rw');
    await assert.rejects(lenses.post(lenses.environmentPath('dev', '/api/topics'), { topicName: 'x', replication: 9 }), (error: unknown) => {
      assert.ok(error instanceof LensesApiError);
      assert.equal(error.status, 400);
      assert.deepEqual(
        error.invalidFields.map((f) => f.field),
        ['replication'],
      );
      assert.match(error.message, /replication/);
      return true;
    });
    await assert.rejects(lenses.get('/api/v1/environments/nope'), (error: unknown) => {
      assert.ok(error instanceof LensesApiError);
      assert.equal(error.type, 'not_found');
      assert.match(error.requestId ?? '', /^[0-9a-f-]{36}$/);
      return true;
    });
    await assert.rejects(
      lenses.get(lenses.environmentPath('staging', '/api/topics')),
      (error: unknown) => error instanceof LensesApiError && error.status === 503 && /not connected/.test(error.message),
    );
    await assert.rejects(
      client('r').delete(lenses.environmentPath('dev', '/api/consumers/orders-archiver')),
      (error: unknown) => error instanceof LensesApiError && error.status === 403,
    );
  });
});
