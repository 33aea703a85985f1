import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { createLensesApi } from './index';
import { body, startTestApi, type TestApi } from './testServer';

/** HQ's `hq_Error` (published: the title is the description; no `detail`). */
interface Problem {
  type: string;
  title: string;
  status: number;
  invalid_fields?: Array<{ name: string; error: string; title: string }>;
  request_id: string;
}

/** An HQ-side refusal: `hq_Error` with a `type` word, not a URI. */
function assertProblem(response: { status: number; headers: Record<string, unknown>; json: unknown }, status: number): Problem {
  assert.equal(response.status, status);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const problem = response.json as Problem;
  assert.equal(problem.status, status);
  assert.match(problem.type, /^[a-z_]+$/);
  assert.equal(typeof problem.title, 'string');
  assert.ok(!('detail' in problem), 'hq_Error has no detail');
  assert.match(problem.request_id, /^[0-9a-f-]{36}$/);
  return problem;
}

/** An agent route's own refusal: `agent_BadRequest {error, errorType, fields?: [{field, error}]}`. */
function assertAgentError(response: { status: number; json: unknown }, status: number): { error: string; fields?: Array<{ field: string; error: string }> } {
  assert.equal(response.status, status);
  const body = response.json as { error: string; errorType?: string; fields?: Array<{ field: string; error: string }> };
  assert.equal(typeof body.error, 'string');
  assert.ok(!('title' in body), 'not an hq_Error');
  return body;
}

describe('Lenses API emulator: access control and errors', () => {
  let hq: TestApi;
  beforeEach(async () => (hq = await startTestApi()));
  afterEach(() => hq.close());

  it('answers 401 with a Bearer challenge and no error when no token is sent', async () => {
    const response = await hq.request('GET', '/api/v1/environments');
    assertProblem(response, 401);
    assert.equal(response.headers['www-authenticate'], 'Bearer realm="lenses"');
  });

  it('answers 401 invalid_token for an unknown token, without echoing it', async () => {
    const response = await hq.agent('GET', '/api/topics', { token: 'not-a-real-token-123' });
    assertProblem(response, 401);
    assert.match(String(response.headers['www-authenticate']), /error="invalid_token"/);
    assert.ok(!response.text.includes('not-a-real-token-123'));
  });

  it('answers 401 before revealing whether a route exists', async () => {
    assertProblem(await hq.request('GET', '/api/no/such/route'), 401);
  });

  it('answers 403 naming the missing scope when a read token calls a write route', async () => {
    const response = await hq.agent('POST', '/api/topics', { token: 'r', body: { topicName: 'forbidden-topic', partitions: 1, replication: 1 } });
    const problem = assertProblem(response, 403);
    assert.match(problem.title, /'write' scope/);
    assert.match(String(response.headers['www-authenticate']), /insufficient_scope/);
    const topics = body<Array<{ topicName: string }>>(await hq.agent('GET', '/api/topics', { token: 'r' }));
    assert.ok(!topics.some((topic) => topic.topicName === 'forbidden-topic'), 'the refused write changed nothing');
  });

  it('lets a read token validate a connector configuration (a POST that reads)', async () => {
    const response = await hq.agent('POST', '/api/kafka-connect/validate', {
      token: 'r',
      body: { name: 'x', cluster: 'connect-main', configuration: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector' } },
    });
    assert.equal(response.status, 200);
  });

  it('requires the delete scope for deleting consumer group offsets (a POST)', async () => {
    const response = await hq.agent('POST', '/api/consumers/orders-archiver/offsets/delete', { token: 'rw', body: { topics: ['orders'] } });
    assert.match(assertProblem(response, 403).title, /'delete' scope/);
    assert.equal((await hq.agent('POST', '/api/consumers/orders-archiver/offsets/delete', { token: 'rwd', body: { topics: ['orders'] } })).status, 200);
  });

  it('answers 503 "agent not connected" for the disconnected environment', async () => {
    const problem = assertProblem(await hq.agent('GET', '/api/topics', { token: 'r', environment: 'staging' }), 503);
    assert.match(problem.title, /agent .* is not connected/i);
    assert.equal(problem.type, 'agent_not_connected');
  });

  it('answers 404 for an unknown environment and an unknown route', async () => {
    assert.match(assertProblem(await hq.agent('GET', '/api/topics', { token: 'r', environment: 'nope' }), 404).title, /nope/);
    assertProblem(await hq.agent('GET', '/api/unknown', { token: 'r' }), 404);
  });

  it('answers 405 with Allow for a known path and a wrong method', async () => {
    const response = await hq.request('PATCH', '/api/v1/environments', { token: 'rwd' });
    assertProblem(response, 405);
    assert.match(String(response.headers.allow), /GET/);
  });

  for (const [label, path] of [
    ['an encoded slash', '/api/v1/environments/dev/proxy/api/topics/orders%2F..%2F..'],
    ['encoded dot segments', '/api/v1/environments/dev/proxy/api/topics/%2e%2e'],
    ['a raw dot-dot segment', '/api/v1/environments/dev/proxy/api/consumers/..'],
    ['an encoded slash in the environment', '/api/v1/environments/dev%2Fproxy/proxy/api/topics'],
    ['a backslash', '/api/v1/environments/dev/proxy/api/topics/a%5C..'],
    ['a control character', '/api/v1/environments/dev/proxy/api/topics/a%0Ab'],
  ] as const) {
    it(`refuses a path parameter with ${label} with 400 naming it`, async () => {
      const problem = assertProblem(await hq.request('GET', path, { token: 'r' }), 400);
      assert.ok(problem.invalid_fields && problem.invalid_fields.length > 0);
    });
  }

  it('refuses malformed percent-encoding with 400', async () => {
    assertProblem(await hq.request('GET', '/api/v1/environments/%E0%A4%A', { token: 'r' }), 400);
  });

  it('does not delete anything through a traversal path', async () => {
    const response = await hq.request('DELETE', '/api/v1/environments/dev/proxy/api/consumers/orders-archiver%2F..%2F..', { token: 'rwd' });
    assertProblem(response, 400);
    const groups = body<Array<{ id: string }>>(await hq.agent('GET', '/api/consumers', { token: 'r' }));
    assert.ok(groups.some((group) => group.id === 'orders-archiver'));
    assert.equal(hq.changes, 0);
  });

  it('answers 400 with invalid_fields for a bad body, 415 for a non-JSON one', async () => {
    const problem = assertAgentError(
      await hq.agent('POST', '/api/topics', { token: 'rw', body: { topicName: 'bad name!', partitions: 0, replication: 9 } }),
      400,
    );
    assert.deepEqual(problem.fields?.map((f) => f.field).sort(), ['partitions', 'replication', 'topicName']);
    const environment = assertProblem(await hq.request('POST', '/api/v1/environments', { token: 'rw', body: { name: 'Bad Name', tier: 'gold' } }), 400);
    assert.deepEqual(environment.invalid_fields?.map((f) => f.name).sort(), ['name', 'tier']);
    assert.equal(environment.type, 'validation_error');
    assertAgentError(await hq.agent('POST', '/api/topics', { token: 'rw', body: '{not json', headers: { 'Content-Type': 'application/json' } }), 400);
    assertAgentError(
      await hq.agent('POST', '/api/topics', { token: 'rw', body: 'topicName=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
      415,
    );
  });

  it('leaves OAuth, well-known and connected-application paths to others', async () => {
    for (const path of [
      '/oauth2/token',
      '/.well-known/oauth-authorization-server',
      '/api/v0/users/me/oauth2/authorizations',
      '/api/v0/users/me/oauth2/authorizations/abc',
    ]) {
      const response = await hq.request('GET', path, { token: 'rwd' });
      assert.equal(response.text, 'not the Lenses API', path);
    }
  });

  it('answers 503 when authenticate itself fails', async () => {
    const api = createLensesApi({ authenticate: () => Promise.reject(new Error('introspection down')) });
    const server = createServer((req, res) => void api.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const status = await new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/api/v1/environments', agent: false, headers: { Authorization: 'Bearer x' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      assert.equal(status, 503);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
