import assert from 'node:assert/strict';
import { LensesClient } from '../../src/lenses/client';
import { LensesApiError } from '../../src/lenses/errors';
import { executeSql } from '../../src/lenses/sql';
import { obtainTokens, startHq, type RunningHq } from '../testing';

/** The API mounted in the whole emulator, called with tokens its authorization server issued. */
describe('Lenses API emulator: behind the emulator OAuth server', () => {
  let hq: RunningHq;
  before(async () => (hq = await startHq({ port: 0 })));
  after(() => hq.close());

  it('serves a read-only OAuth token reads and refuses its writes with 403', async () => {
    const { accessToken } = await obtainTokens(hq, { scopes: ['read'] });
    const lenses = new LensesClient({ baseUrl: hq.url, token: () => accessToken });
    const topics = (await lenses.get(lenses.environmentPath('dev', '/api/topics'))) as Array<{ topicName: string }>;
    assert.ok(topics.some((topic) => topic.topicName === 'orders'));
    await assert.rejects(
      lenses.post(lenses.environmentPath('dev', '/api/topics'), { topicName: 'nope' }),
      (error: unknown) => error instanceof LensesApiError && error.status === 403,
    );
    const sql = await executeSql(lenses, 'dev', 'SELECT * FROM payments LIMIT 2');
    assert.equal(sql.records.length, 2);
  });

  it('accepts the API key with every scope', async () => {
    const lenses = new LensesClient({ baseUrl: hq.url, token: () => hq.apiKey });
    const created = (await lenses.post(lenses.environmentPath('dev', '/api/topics'), { topicName: 'via-api-key', partitions: 1, replication: 1 })) as {
      topicName: string;
    };
    assert.equal(created.topicName, 'via-api-key');
  });
});
