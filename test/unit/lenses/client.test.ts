import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { LensesApiError, LensesClient, LensesConnectionError, path, UnsafePathSegmentError } from '../../../src/lenses';
import { executeSql } from '../../../src/lenses/sql';
import { describeToolError } from '../../../src/mcp/toolResults';
import { urlOf } from '../../support/requestUrl';

describe('LensesClient', () => {
  it("sends the token source's bearer and repeats array query parameters", async () => {
    let seen: { url: string; authorization: string | null } | undefined;
    const client = new LensesClient({
      baseUrl: 'http://hq.test/',
      token: async () => 'tok',
      fetch: async (input, init) => {
        seen = { url: urlOf(input), authorization: new Headers(init?.headers).get('authorization') };
        return Response.json({ ok: true });
      },
    });
    assert.deepEqual(await client.get('/api/x', { query: { a: ['1', '2'], b: undefined, c: false } }), { ok: true });
    assert.equal(seen?.url, 'http://hq.test/api/x?a=1&a=2&c=false');
    assert.equal(seen?.authorization, 'Bearer tok');
  });

  it('turns RFC 7807 problems into LensesApiError with a readable message', async () => {
    const client = new LensesClient({
      baseUrl: 'http://hq.test',
      token: () => 't',
      fetch: async () =>
        Response.json(
          {
            title: 'Bad Request',
            status: 400,
            detail: 'Replication too high',
            invalid_fields: [{ field: 'replication', message: 'must be <= 3' }],
            request_id: 'r1',
          },
          { status: 400 },
        ),
    });
    const error = await client.post('/api/topics', {}).catch((e: unknown) => e);
    assert.ok(error instanceof LensesApiError);
    assert.equal(error.status, 400);
    assert.equal(error.requestId, 'r1');
    assert.deepEqual(error.invalidFields, [{ field: 'replication', message: 'must be <= 3' }]);
    assert.equal(error.message, 'Lenses answered 400 Bad Request: Replication too high: invalid fields: replication (must be <= 3)');
  });

  it('returns text for non-JSON answers and null for empty ones', async () => {
    const answers = [new Response('a: 1\n', { headers: { 'content-type': 'text/yaml' } }), new Response(null, { status: 204 })];
    const client = new LensesClient({ baseUrl: 'http://hq.test', token: () => 't', fetch: async () => answers.shift() as Response });
    assert.equal(await client.get('/y'), 'a: 1\n');
    assert.equal(await client.delete('/z'), null);
  });

  it('times out with a LensesConnectionError that names the route, not the token', async () => {
    const client = new LensesClient({
      baseUrl: 'http://hq.test',
      token: () => 'secret-token',
      timeoutMs: 50,
      fetch: (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error))),
    });
    const error = await client.get('/api/slow').catch((e: unknown) => e);
    assert.ok(error instanceof LensesConnectionError);
    assert.match(error.message, /did not answer GET \/api\/slow within 50 ms/);
    assert.doesNotMatch(error.message, /secret-token/);
  });

  it('CL-16 sends no bearer to an origin its rule refuses, nor over a redirect (HTTP and the SQL handshake)', async () => {
    const calls: string[] = [];
    const recording: typeof fetch = async (input) => {
      calls.push(urlOf(input));
      return new Response(null, { status: 307, headers: { location: 'https://collector.example.net/api/x' } });
    };
    const refusing = { refusal: (url: URL) => (url.origin === 'https://hq.test' ? undefined : `${url.origin} is not allowed`) };
    const elsewhere = new LensesClient({ baseUrl: 'https://other.test', token: () => 'secret-token', fetch: recording, bearerOrigins: refusing });
    const refused = await elsewhere.get('/api/x').catch((e: unknown) => e);
    assert.ok(refused instanceof LensesConnectionError);
    assert.match(refused.message, /Not sending a Lenses token: https:\/\/other\.test is not allowed/);
    assert.doesNotMatch(refused.message, /secret-token/);
    const sqlRefused = await executeSql(elsewhere, 'dev', 'SELECT 1').catch((e: unknown) => e);
    assert.ok(sqlRefused instanceof LensesConnectionError);
    assert.match(sqlRefused.message, /Not sending a Lenses token/);
    assert.deepEqual(calls, [], 'nothing left for the refused origin');

    const redirecting = new LensesClient({ baseUrl: 'https://hq.test', token: () => 'secret-token', fetch: recording, bearerOrigins: refusing });
    const redirected = await redirecting.get('/api/x').catch((e: unknown) => e);
    assert.ok(redirected instanceof LensesConnectionError);
    assert.match(redirected.message, /redirect \(HTTP 307\); redirects are not followed/);
    assert.deepEqual(calls, ['https://hq.test/api/x'], 'the redirect target was never asked');
  });

  it('RS-14 path() refuses segments that would change the route', () => {
    assert.equal(path`/api/topics/${'orders.v1'}`, '/api/topics/orders.v1');
    for (const bad of ['../x', 'a/b', 'a%2Fb', '', '..', 'a\\b', 'a?b', 'a#b', 'a\nb']) {
      assert.throws(() => path`/api/topics/${bad}`, UnsafePathSegmentError, JSON.stringify(bad));
    }
  });

  it('RS-16 an unreachable HQ gives a tool error that names neither the internal host nor port', async () => {
    const port = await closedPort();
    const warnings: string[] = [];
    const logger = { trace() {}, debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} };
    const refused = new LensesClient({ baseUrl: `http://127.0.0.1:${port}`, token: () => 't', logger });
    const error = await refused.get('/api/topics').catch((e: unknown) => e);
    assert.ok(error instanceof LensesConnectionError);
    assert.equal(error.message, 'Could not reach Lenses HQ (connection refused)');
    const text = describeToolError('list_topics', error);
    assert.doesNotMatch(text, new RegExp(`127\\.0\\.0\\.1|${port}`));
    assert.match(warnings.join('\n'), new RegExp(`127\\.0\\.0\\.1:${port}`), 'the log keeps the URL for the operator');

    const sqlError = await executeSql(refused, 'dev', 'SELECT * FROM orders').catch((e: unknown) => e);
    assert.ok(sqlError instanceof LensesConnectionError);
    assert.doesNotMatch(describeToolError('execute_sql', sqlError), new RegExp(`127\\.0\\.0\\.1|${port}`));
  });
});

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
