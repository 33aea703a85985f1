import assert from 'node:assert/strict';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { IntrospectionUnavailableError, TokenIntrospector, type IntrospectionAnswer } from '../../../src/mcp/introspection';
import { OAuthResourceServerAuthenticator } from '../../../src/mcp/oauthResourceServer';
import type { Logger } from '../../../src/log';
import { ALL_SCOPES } from '../../../src/scopes';

const RESOURCE = 'https://mcp.example.test/mcp';
const PRM = 'https://mcp.example.test/.well-known/oauth-protected-resource/mcp';
const TOKEN = 'secret-token-value-0123456789';

/** A request carrying only the given Authorization header(s). */
function requestWith(...authorization: string[]): IncomingMessage {
  const request = new IncomingMessage(new Socket());
  request.rawHeaders = authorization.flatMap((value) => ['Authorization', value]);
  return request;
}

function setup(answer: (token: string) => IntrospectionAnswer, options: { ttl?: number } = {}) {
  let now = 1_000_000_000_000;
  const asked: string[] = [];
  const logs: string[] = [];
  const logger: Logger = { trace: (m) => logs.push(m), debug: (m) => logs.push(m), info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(String(m)) };
  const fakeFetch: typeof fetch = async (_url, init) => {
    const token = new URLSearchParams(String(init?.body)).get('token') ?? '';
    asked.push(token);
    return Response.json(answer(token));
  };
  const introspector = new TokenIntrospector({ url: 'http://hq.test/oauth2/introspect', cacheTtlSeconds: options.ttl ?? 60, fetch: fakeFetch, now: () => now, logger });
  const authenticator = new OAuthResourceServerAuthenticator({ resource: RESOURCE, resourceMetadataUrl: PRM, scopes: ALL_SCOPES, introspector, now: () => now, logger });
  return { authenticator, asked, logs, advance: (ms: number) => (now += ms), nowSeconds: () => Math.floor(now / 1000) };
}

describe('OAuthResourceServerAuthenticator', () => {
  it('RS-03 an expired token that introspection still calls active is refused with invalid_token', async () => {
    const env = setup(() => ({ active: true, scope: 'read', exp: 1_000_000_000 - 10 }));
    const result = await env.authenticator.authenticate(requestWith(`Bearer ${TOKEN}`));
    assert.equal(result.kind, 'rejected');
    assert.equal(result.kind === 'rejected' && result.status, 401);
    assert.match(result.kind === 'rejected' ? (result.headers?.['WWW-Authenticate'] ?? '') : '', /error="invalid_token"/);
  });

  it('RS-05 an aud without our resource is refused; with it, accepted', async () => {
    const env = setup((token) => ({ active: true, scope: 'read', exp: 2_000_000_000, aud: token === 'ours' ? [RESOURCE, 'x'] : 'https://other/mcp' }));
    assert.equal((await env.authenticator.authenticate(requestWith('Bearer theirs'))).kind, 'rejected');
    assert.equal((await env.authenticator.authenticate(requestWith('Bearer ours'))).kind, 'granted');
  });

  it('RS-06 a token whose token_type is not Bearer is refused', async () => {
    const env = setup(() => ({ active: true, scope: 'read', exp: 2_000_000_000, token_type: 'refresh_token' }));
    assert.equal((await env.authenticator.authenticate(requestWith(`Bearer ${TOKEN}`))).kind, 'rejected');
  });

  it('caches an active answer for min(TTL, exp - now): one introspection per token per period', async () => {
    const env = setup(() => ({ active: true, scope: 'read write', exp: env.nowSeconds() + 30 }), { ttl: 60 });
    for (let i = 0; i < 5; i++) assert.equal((await env.authenticator.authenticate(requestWith(`Bearer ${TOKEN}`))).kind, 'granted');
    assert.equal(env.asked.length, 1);
    env.advance(31_000); // past exp (30 s), before the TTL (60 s)
    await env.authenticator.authenticate(requestWith(`Bearer ${TOKEN}`));
    assert.equal(env.asked.length, 2);
  });

  it('tokenRejected evicts the cache entry so the next request introspects again', async () => {
    const env = setup(() => ({ active: true, scope: 'read', exp: 2_000_000_000 }));
    await env.authenticator.authenticate(requestWith(`Bearer ${TOKEN}`));
    env.authenticator.tokenRejected(TOKEN);
    await env.authenticator.authenticate(requestWith(`Bearer ${TOKEN}`));
    assert.equal(env.asked.length, 2);
  });

  it('does not cache inactive answers', async () => {
    const env = setup(() => ({ active: false }));
    await env.authenticator.authenticate(requestWith(`Bearer ${TOKEN}`));
    await env.authenticator.authenticate(requestWith(`Bearer ${TOKEN}`));
    assert.equal(env.asked.length, 2);
  });

  it('always names a subject to bind the MCP session to, even when introspection gives no sub', async () => {
    const withSub = setup(() => ({ active: true, scope: 'read', exp: 9_999_999_999, sub: 'alice' }));
    const bare = setup(() => ({ active: true, scope: 'read', exp: 9_999_999_999 }));
    const subjectOf = async (env: ReturnType<typeof setup>, token: string) => {
      const result = await env.authenticator.authenticate(requestWith(`Bearer ${token}`));
      return result.kind === 'granted' ? result.subject : undefined;
    };
    assert.equal(await subjectOf(withSub, TOKEN), 'alice');
    const first = await subjectOf(bare, TOKEN);
    const second = await subjectOf(bare, `${TOKEN}-other`);
    assert.ok(first && second, 'a subject is always set');
    assert.notEqual(first, second, 'two anonymous tokens do not share a subject');
    assert.ok(!first.includes(TOKEN), 'the subject is not the token');
  });

  it('RS-10 insufficientScope answers 403 with the union of held and needed scopes', () => {
    const env = setup(() => ({ active: false }));
    const refusal = env.authenticator.insufficientScope(new Set(['read']), 'delete');
    assert.equal(refusal.status, 403);
    assert.equal(refusal.headers['WWW-Authenticate'], `Bearer error="insufficient_scope", scope="read delete", resource_metadata="${PRM}"`);
  });

  it('logs tokens only as fingerprints', async () => {
    const env = setup(() => ({ active: false }));
    await env.authenticator.authenticate(requestWith(`Bearer ${TOKEN}`));
    assert.ok(env.logs.length > 0);
    assert.ok(env.logs.every((line) => !line.includes(TOKEN)));
  });
});

describe('TokenIntrospector', () => {
  it('asks HQ once for concurrent first requests with the same token (single flight)', async () => {
    let asked = 0;
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const introspector = new TokenIntrospector({
      url: 'http://hq.test/oauth2/introspect',
      cacheTtlSeconds: 60,
      fetch: async () => {
        asked += 1;
        await answered;
        return Response.json({ active: true, scope: 'read', exp: Math.floor(Date.now() / 1000) + 600 });
      },
    });
    // All 16 ask while HQ has not answered yet.
    const pending = Promise.all(Array.from({ length: 16 }, () => introspector.introspect(TOKEN)));
    answer();
    const answers = await pending;
    assert.ok(answers.every((answer) => answer.active));
    assert.equal(asked, 1);
  });

  it('RS-04 an answer still in flight when the token is evicted (HQ said 401) is not cached', async () => {
    let asked = 0;
    let release: () => void = () => undefined;
    const introspector = new TokenIntrospector({
      url: 'http://hq.test/oauth2/introspect',
      cacheTtlSeconds: 60,
      fetch: async () => {
        asked += 1;
        if (asked === 1) await new Promise<void>((resolve) => (release = resolve));
        return Response.json({ active: true, scope: 'read', exp: Math.floor(Date.now() / 1000) + 600 });
      },
    });
    const first = introspector.introspect(TOKEN);
    await new Promise((resolve) => setImmediate(resolve));
    introspector.evict(TOKEN);
    release();
    await first;
    await introspector.introspect(TOKEN);
    assert.equal(asked, 2, 'the evicted in-flight answer was not reused from the cache');
  });

  it('RS-11 an answer whose fields have the wrong types is no answer (503 path), not a crash', async () => {
    for (const answer of [{ active: true, token_type: 1 }, { active: true, scope: ['read'] }, { active: true, exp: '9999999999' }, { active: true, aud: [1] }, [true]]) {
      const introspector = new TokenIntrospector({ url: 'http://hq.test/oauth2/introspect', cacheTtlSeconds: 0, fetch: async () => Response.json(answer) });
      await assert.rejects(introspector.introspect(TOKEN), (error: unknown) => error instanceof IntrospectionUnavailableError, JSON.stringify(answer));
    }
  });
});
