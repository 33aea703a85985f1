import assert from 'node:assert/strict';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import {
  IntrospectionBusyError,
  IntrospectionRefusedError,
  IntrospectionUnavailableError,
  TokenIntrospector,
  type IntrospectionAnswer,
} from '../../../src/mcp/auth/introspection';
import { OAuthResourceServerAuthenticator } from '../../../src/mcp/auth/oauthResourceServer';
import { RecordingLogger } from '../../support/recordingLogger';
import { ALL_SCOPES } from '../../../src/scopes';
import { bodyText, urlOf } from '../../support/requestUrl';

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
  const logger = new RecordingLogger();
  const logs = logger.lines;
  const fakeFetch: typeof fetch = async (_url, init) => {
    const token = new URLSearchParams(bodyText(init)).get('token') ?? '';
    asked.push(token);
    return Response.json(answer(token));
  };
  const introspector = new TokenIntrospector({
    url: 'http://hq.test/oauth2/introspect',
    cacheTtlSeconds: options.ttl ?? 60,
    fetch: fakeFetch,
    now: () => now,
    logger,
  });
  const authenticator = new OAuthResourceServerAuthenticator({
    resource: RESOURCE,
    resourceMetadataUrl: PRM,
    scopes: ALL_SCOPES,
    introspector,
    now: () => now,
    logger,
  });
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

  it('RS-19 reuses an inactive answer for 10 s by token hash, then asks again', async () => {
    const env = setup(() => ({ active: false }));
    for (let i = 0; i < 3; i++) assert.equal((await env.authenticator.authenticate(requestWith(`Bearer ${TOKEN}`))).kind, 'rejected');
    assert.equal(env.asked.length, 1);
    env.advance(10_001);
    await env.authenticator.authenticate(requestWith(`Bearer ${TOKEN}`));
    assert.equal(env.asked.length, 2);
  });

  it('RS-18 with the cache off (TTL 0) every request is introspected afresh', async () => {
    const env = setup(() => ({ active: true, scope: 'read', exp: env.nowSeconds() + 600 }), { ttl: 0 });
    for (let i = 0; i < 3; i++) assert.equal((await env.authenticator.authenticate(requestWith(`Bearer ${TOKEN}`))).kind, 'granted');
    assert.equal(env.asked.length, 3);
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

  it('reads scope as RFC 7662 writes it (one space-separated string) or as a list of strings, as the official server does', async () => {
    for (const scope of ['read write', ['read', 'write'], ['write', 'read', 'admin']]) {
      const env = setup(() => ({ active: true, scope, exp: 2_000_000_000 }));
      const result = await env.authenticator.authenticate(requestWith(`Bearer ${TOKEN}`));
      assert.deepEqual(result.kind === 'granted' ? [...result.scopes] : result, ['read', 'write'], JSON.stringify(scope));
    }
  });

  it('RS-11 an answer whose fields have the wrong types is no answer (503 path), not a crash', async () => {
    for (const answer of [
      { active: true, token_type: 1 },
      { active: true, scope: ['read', 1] },
      { active: true, scope: { read: true } },
      { active: true, scope: 7 },
      { active: true, exp: '9999999999' },
      { active: true, aud: [1] },
      [true],
    ]) {
      const introspector = new TokenIntrospector({ url: 'http://hq.test/oauth2/introspect', cacheTtlSeconds: 0, fetch: async () => Response.json(answer) });
      await assert.rejects(introspector.introspect(TOKEN), (error: unknown) => error instanceof IntrospectionUnavailableError, JSON.stringify(answer));
    }
  });
});

/** A fetch whose introspection answers are released by the test, one pending request at a time. */
function heldIntrospection(answer: (token: string, round: number) => IntrospectionAnswer | Response) {
  const pending: Array<{ token: string; release(): void }> = [];
  let round = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchImpl: typeof fetch = async (_url, init) => {
    const token = new URLSearchParams(bodyText(init)).get('token') ?? '';
    const mine = ++round;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise<void>((resolve) => pending.push({ token, release: resolve }));
    inFlight -= 1;
    const reply = answer(token, mine);
    return reply instanceof Response ? reply : Response.json(reply);
  };
  return {
    fetch: fetchImpl,
    pending,
    rounds: () => round,
    maxInFlight: () => maxInFlight,
    /** Lets every request waiting now answer. */
    releaseAll() {
      for (const request of pending.splice(0)) request.release();
    },
  };
}

/** Lets queued promise callbacks (and the fake fetch's bookkeeping) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('TokenIntrospector with the default strict validation (RS-18)', () => {
  it('RS-18 a request arriving while an introspection is in flight waits for the next round, never the older answer', async () => {
    let revoked = false;
    const hq = heldIntrospection(() => (revoked ? { active: false } : { active: true, scope: 'read', exp: Math.floor(Date.now() / 1000) + 600 }));
    const introspector = new TokenIntrospector({ url: 'http://hq.test/oauth2/introspect', cacheTtlSeconds: 0, fetch: hq.fetch });
    const first = introspector.introspect(TOKEN);
    await settle();
    assert.equal(hq.pending.length, 1);
    revoked = true; // the grant is revoked while the first introspection is on its way
    const later = [introspector.introspect(TOKEN), introspector.introspect(TOKEN), introspector.introspect(TOKEN)];
    await settle();
    assert.equal(hq.pending.length, 1, 'the later requests do not start a second introspection alongside the first');
    hq.releaseAll();
    assert.equal((await first).active, false, 'answered after the revocation: inactive');
    await settle();
    assert.equal(hq.pending.length, 1, 'one next round for the three later requests');
    hq.releaseAll();
    const answers = await Promise.all(later);
    assert.ok(answers.every((answer) => answer.active === false));
    assert.equal(hq.rounds(), 2);
  });

  it('RS-18 the next round is not answered from the round before it, even when the first one said active', async () => {
    let round = 0;
    const hq = heldIntrospection(() => (++round === 1 ? { active: true, scope: 'read', exp: Math.floor(Date.now() / 1000) + 600 } : { active: false }));
    const introspector = new TokenIntrospector({ url: 'http://hq.test/oauth2/introspect', cacheTtlSeconds: 0, fetch: hq.fetch });
    const first = introspector.introspect(TOKEN);
    await settle();
    const second = introspector.introspect(TOKEN);
    hq.releaseAll();
    assert.equal((await first).active, true);
    await settle();
    hq.releaseAll();
    assert.equal((await second).active, false, 'the second request saw an answer that started after it arrived');
  });

  it('RS-18 one token costs HQ at most one introspection at a time, however many requests carry it', async () => {
    const hq = heldIntrospection(() => ({ active: true, scope: 'read', exp: Math.floor(Date.now() / 1000) + 600 }));
    const introspector = new TokenIntrospector({ url: 'http://hq.test/oauth2/introspect', cacheTtlSeconds: 0, fetch: hq.fetch });
    const all: Array<Promise<IntrospectionAnswer>> = [];
    for (let wave = 0; wave < 5; wave++) {
      for (let i = 0; i < 10; i++) all.push(introspector.introspect(TOKEN));
      await settle();
      hq.releaseAll();
      await settle();
    }
    for (let i = 0; i < 3 && hq.pending.length > 0; i++) {
      hq.releaseAll();
      await settle();
    }
    assert.ok((await Promise.all(all)).every((answer) => answer.active));
    assert.equal(hq.maxInFlight(), 1);
    assert.ok(hq.rounds() <= 6, `${hq.rounds()} introspections for 50 requests in 5 waves`);
  });
});

describe('TokenIntrospector when HQ hangs (RS-11)', () => {
  it("RS-11 a request arriving during a hanging introspection round gets that round's 503: one timeout, not two", async () => {
    let asked = 0;
    let hanging = true;
    const introspector = new TokenIntrospector({
      url: 'http://hq.test/oauth2/introspect',
      cacheTtlSeconds: 0,
      timeoutMs: 500,
      fetch: (_url, init) => {
        asked += 1;
        if (!hanging) return Promise.resolve(Response.json({ active: true, scope: 'read', exp: Math.floor(Date.now() / 1000) + 600 }));
        // HQ never answers: only our timeout ends the request.
        return new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
      },
    });
    const authenticator = new OAuthResourceServerAuthenticator({ resource: RESOURCE, resourceMetadataUrl: PRM, scopes: ALL_SCOPES, introspector });
    const started = Date.now();
    const first = authenticator.authenticate(requestWith(`Bearer ${TOKEN}`));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const later = authenticator.authenticate(requestWith(`Bearer ${TOKEN}`)).then((result) => ({ result, after: Date.now() - started }));
    const [firstResult, { result, after }] = await Promise.all([first, later]);
    for (const answer of [firstResult, result]) {
      assert.equal(answer.kind === 'rejected' && answer.status, 503);
      assert.equal(answer.kind === 'rejected' && answer.headers?.['Retry-After'], '5');
      assert.match(answer.kind === 'rejected' ? answer.message : '', /introspection endpoint timed out/);
    }
    assert.equal(asked, 1, 'one introspection for both requests: the later one did not start a second round');
    assert.ok(after < 950, `the later request waited ${after} ms (two timeouts would be 1000)`);
    hanging = false;
    const recovered = await authenticator.authenticate(requestWith(`Bearer ${TOKEN}`));
    assert.equal(recovered.kind, 'granted', 'the next request starts a fresh round once HQ answers again');
    assert.equal(asked, 2);
  });
});

describe('TokenIntrospector under a flood of unknown bearers (RS-19)', () => {
  it('RS-19 past the cap it refuses at once (busy, Retry-After 1 s) instead of asking HQ', async () => {
    const hq = heldIntrospection(() => ({ active: false }));
    const introspector = new TokenIntrospector({ url: 'http://hq.test/oauth2/introspect', cacheTtlSeconds: 0, maxInFlight: 8, fetch: hq.fetch });
    const results = Array.from({ length: 20 }, (_, i) =>
      introspector.introspect(`random-${i}`).then(
        () => 'answered',
        (error: unknown) => (error instanceof IntrospectionBusyError && error.retryAfterSeconds === 1 ? 'busy' : String(error)),
      ),
    );
    await settle();
    assert.equal(hq.pending.length, 6, 'unknown tokens get three quarters of the 8 slots');
    hq.releaseAll();
    const outcomes = await Promise.all(results);
    assert.equal(outcomes.filter((outcome) => outcome === 'answered').length, 6);
    assert.equal(outcomes.filter((outcome) => outcome === 'busy').length, 14);
    assert.equal(hq.maxInFlight(), 6);
  });

  it('RS-19 a token HQ called active before still gets a slot while unknown ones fill theirs', async () => {
    const hq = heldIntrospection((token) => (token === TOKEN ? { active: true, scope: 'read', exp: Math.floor(Date.now() / 1000) + 600 } : { active: false }));
    const introspector = new TokenIntrospector({ url: 'http://hq.test/oauth2/introspect', cacheTtlSeconds: 0, maxInFlight: 4, fetch: hq.fetch });
    const known = introspector.introspect(TOKEN);
    await settle();
    hq.releaseAll();
    assert.equal((await known).active, true);
    const flood = Array.from({ length: 10 }, (_, i) => introspector.introspect(`random-${i}`).catch(() => undefined));
    await settle();
    assert.equal(hq.pending.length, 3);
    const again = introspector.introspect(TOKEN);
    await settle();
    assert.equal(hq.pending.length, 4, 'the signed-in user took the reserved slot');
    await assert.rejects(introspector.introspect('random-late'), IntrospectionBusyError);
    hq.releaseAll();
    assert.equal((await again).active, true);
    await Promise.all(flood);
  });

  it('RS-19 the authenticator answers a refused introspection with 503 and Retry-After', async () => {
    const introspector = new TokenIntrospector({
      url: 'http://hq.test/oauth2/introspect',
      cacheTtlSeconds: 0,
      maxInFlight: 1,
      fetch: heldIntrospection(() => ({ active: false })).fetch,
    });
    const authenticator = new OAuthResourceServerAuthenticator({ resource: RESOURCE, resourceMetadataUrl: PRM, scopes: ALL_SCOPES, introspector });
    void authenticator.authenticate(requestWith('Bearer first-random'));
    await settle();
    const refused = await authenticator.authenticate(requestWith('Bearer second-random'));
    assert.equal(refused.kind === 'rejected' && refused.status, 503);
    assert.equal(refused.kind === 'rejected' && refused.headers?.['Retry-After'], '1');
    assert.match(refused.kind === 'rejected' ? refused.message : '', /^Cannot validate the access token right now: Too many access tokens/);
  });
});

describe('TokenIntrospector when HQ refuses unauthenticated introspection', () => {
  for (const [label, reply] of [
    [
      '400 invalid_request (client authentication required)',
      () => Response.json({ error: 'invalid_request', error_description: 'no client authentication mechanism provided' }, { status: 400 }),
    ],
    ['401 invalid_client', () => Response.json({ error: 'invalid_client' }, { status: 401 })],
  ] as const) {
    it(`${label}: says what HQ needs, and logs it once, not per request`, async () => {
      const logger = new RecordingLogger();
      const logs = logger.lines;
      const introspector = new TokenIntrospector({ url: 'http://hq.test/oauth2/introspect', cacheTtlSeconds: 0, fetch: async () => reply(), logger });
      for (let i = 0; i < 3; i++) {
        await assert.rejects(
          introspector.introspect(`${TOKEN}-${i}`),
          (error: unknown) => error instanceof IntrospectionRefusedError && error.message.includes('`unauthenticatedIntrospection: true`'),
        );
      }
      const lines = logs.filter((line) => line.includes('unauthenticatedIntrospection'));
      assert.equal(lines.length, 1, logs.join('\n'));
      assert.ok(logs.every((line) => !line.includes(TOKEN)));
    });
  }

  it('finds its endpoint once through the given function, and again only after a failure', async () => {
    let found = 0;
    const introspector = new TokenIntrospector({
      url: async () => {
        found += 1;
        if (found === 1) throw new Error('HQ is starting');
        return 'http://hq.test/custom/introspect';
      },
      cacheTtlSeconds: 0,
      fetch: async (url) => (urlOf(url) === 'http://hq.test/custom/introspect' ? Response.json({ active: false }) : new Response('', { status: 404 })),
    });
    await assert.rejects(
      introspector.introspect('a'),
      (error: unknown) => error instanceof IntrospectionUnavailableError && /could not be found: HQ is starting/.test(error.message),
    );
    assert.equal((await introspector.introspect('b')).active, false);
    assert.equal((await introspector.introspect('c')).active, false);
    assert.equal(found, 2);
  });
});
