import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { LensesClient } from '../../src/lenses/client';
import { LensesApiError } from '../../src/lenses/errors';
import { executeSql } from '../../src/lenses/sql';
import { startTestApi, type TestApi } from './testServer';
import { webSocketText } from '../../test/support/webSocketText';

interface Frame {
  type: string;
  data?: { key?: string | null; value?: Record<string, unknown>; metadata?: { partition: number; offset: number; timestamp: number }; message?: string };
}

type Outcome = { kind: 'frames'; frames: Frame[] } | { kind: 'refused'; status: number; body: string };

describe('Lenses API emulator: SQL WebSocket', () => {
  let hq: TestApi;
  beforeEach(async () => (hq = await startTestApi()));
  afterEach(() => hq.close());

  /** Opens the socket, sends one query and collects frames until the server closes. */
  function run(sql: unknown, options: { token?: string; path?: string } = {}): Promise<Outcome> {
    const path = options.path ?? '/api/v1/environments/dev/proxy/api/ws/v2/sql/execute';
    const headers = options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` };
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${hq.port}${path}`, { headers });
      const frames: Frame[] = [];
      socket.on('open', () => socket.send(typeof sql === 'string' ? JSON.stringify({ sql }) : JSON.stringify(sql)));
      socket.on('message', (raw) => frames.push(JSON.parse(webSocketText(raw)) as Frame));
      socket.on('close', () => resolve({ kind: 'frames', frames }));
      socket.on('unexpected-response', (_request, response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ kind: 'refused', status: response.statusCode ?? 0, body: text }));
      });
      socket.on('error', reject);
    });
  }

  function frames(outcome: Outcome): Frame[] {
    assert.equal(outcome.kind, 'frames', JSON.stringify(outcome));
    return outcome.kind === 'frames' ? outcome.frames : [];
  }

  it('streams RECORD frames then END for SELECT *', async () => {
    const result = frames(await run('SELECT * FROM customers', { token: 'r' }));
    assert.equal(result.length, 9);
    assert.equal(result.at(-1)?.type, 'END');
    const first = result[0];
    assert.equal(first.type, 'RECORD');
    assert.equal(first.data?.key, 'cust-1');
    assert.deepEqual(first.data?.value, { customerId: 'cust-1', name: 'Ada Lovelace', country: 'GB', tier: 'gold' });
    assert.deepEqual(Object.keys(first.data?.metadata ?? {}).sort(), ['offset', 'partition', 'timestamp']);
  });

  it('filters with WHERE on a string or a number, case-insensitive keywords, and LIMIT', async () => {
    const gold = frames(await run("select * from customers where tier = 'gold' limit 2", { token: 'r' }));
    assert.deepEqual(
      gold.filter((f) => f.type === 'RECORD').map((f) => f.data?.value?.tier),
      ['gold', 'gold'],
    );
    const byNumber = frames(await run('SELECT * FROM payments WHERE amount = 57', { token: 'r' }));
    assert.deepEqual(
      byNumber.filter((f) => f.type === 'RECORD').map((f) => f.data?.value?.paymentId),
      ['pay-501'],
    );
    const limited = frames(await run('SELECT * FROM orders LIMIT 3;', { token: 'r' }));
    assert.equal(limited.filter((f) => f.type === 'RECORD').length, 3);
  });

  it('projects the selected fields', async () => {
    const result = frames(await run("SELECT name, country FROM customers WHERE _key = 'cust-2'", { token: 'r' }));
    assert.deepEqual(result[0].data?.value, { name: 'Alan Turing', country: 'GR' });
  });

  it('answers ERROR for an unknown topic, an unsupported statement and a non-JSON message', async () => {
    const unknown = frames(await run('SELECT * FROM ghosts', { token: 'r' }));
    assert.deepEqual(
      unknown.map((f) => f.type),
      ['ERROR'],
    );
    assert.match(unknown[0].data?.message ?? '', /ghosts/);
    const drop = frames(await run('DROP TABLE orders', { token: 'r' }));
    assert.match(drop[0].data?.message ?? '', /DROP statements are not supported/);
    const join = frames(await run('SELECT * FROM orders WHERE amount > 10', { token: 'r' }));
    assert.match(join[0].data?.message ?? '', /only <field> = <value>/);
    const garbage = frames(await run({ query: 'SELECT 1' }, { token: 'r' }));
    assert.match(garbage[0].data?.message ?? '', /\{"sql"/);
  });

  it('accepts the environment in the query string', async () => {
    const result = frames(await run('SELECT * FROM payments LIMIT 1', { token: 'r', path: '/api/ws/v2/sql/execute?environment=dev' }));
    assert.deepEqual(
      result.map((f) => f.type),
      ['RECORD', 'END'],
    );
  });

  it('refuses the handshake with 401 without a valid bearer', async () => {
    const none = await run('SELECT * FROM orders');
    assert.equal(none.kind === 'refused' && none.status, 401);
    const bad = await run('SELECT * FROM orders', { token: 'forged' });
    assert.equal(bad.kind === 'refused' && bad.status, 401);
    assert.ok(bad.kind === 'refused' && bad.body.includes('"status":401'));
  });

  it('refuses the handshake with 403 without read, 503 for a disconnected and 404 for an unknown environment', async () => {
    const writeOnly = await run('SELECT * FROM orders', { token: 'w' });
    assert.equal(writeOnly.kind === 'refused' && writeOnly.status, 403);
    const staging = await run('SELECT * FROM orders', { token: 'r', path: '/api/v1/environments/staging/proxy/api/ws/v2/sql/execute' });
    assert.equal(staging.kind === 'refused' && staging.status, 503);
    const unknown = await run('SELECT * FROM orders', { token: 'r', path: '/api/ws/v2/sql/execute?environment=nope' });
    assert.equal(unknown.kind === 'refused' && unknown.status, 404);
    const traversal = await run('SELECT * FROM orders', { token: 'r', path: '/api/v1/environments/dev%2F..%2Fstaging/proxy/api/ws/v2/sql/execute' });
    assert.equal(traversal.kind === 'refused' && traversal.status, 400);
  });

  it('serves the project SQL client (src/lenses/sql.ts)', async () => {
    const client = new LensesClient({ baseUrl: hq.baseUrl, token: () => 'r' });
    const result = await executeSql(client, 'dev', "SELECT * FROM orders WHERE status = 'SHIPPED' LIMIT 4");
    assert.equal(result.records.length, 4);
    assert.equal(result.truncated, false);
    await assert.rejects(
      executeSql(client, 'dev', 'SELECT * FROM ghosts'),
      (error: unknown) => error instanceof LensesApiError && /ghosts/.test(error.message),
    );
    const anonymous = new LensesClient({ baseUrl: hq.baseUrl, token: () => 'nope' });
    await assert.rejects(executeSql(anonymous, 'dev', 'SELECT * FROM orders'), (error: unknown) => error instanceof LensesApiError && error.status === 401);
  });
});
