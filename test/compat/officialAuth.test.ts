import assert from 'node:assert/strict';
import { IntrospectionUnavailableError, TokenIntrospector } from '../../src/mcp/auth/introspection';
import { introspectionEndpointFromMetadata } from '../../src/mcp/auth/introspectionEndpoint';
import { obtainTokens, startHq, type RunningHq } from '../../hq-emulator/testing';
import { INITIALIZE, postRaw, resultText } from '../integration/mcp/harness';
import { buildBin, connectStdioBin, runBin, startBin, type RunningBin } from '../integration/mcp/standaloneProcess';
import { json, RESOURCE, sha256Hex, startHqProxy, startOAuthBin, tokenFor, withClient, type HqProxy } from './compatHarness';

/**
 * Mirrors of the official server's tests/test_auth.py (token introspection, the API-key
 * fallback, eviction on an HQ 401, token fingerprints), by what a client or operator sees.
 */

const INTROSPECT = '/oauth2/introspect';
const WELL_KNOWN = '/.well-known/';
const LIST_TOPICS = { name: 'list_topics', arguments: { environment: 'dev' } };

/** POSTs an initialize with `token` as the bearer: the status and challenge say what authentication decided. */
async function initializeWith(url: string, token: string): Promise<Response> {
  const response = await postRaw(url, INITIALIZE, { Authorization: `Bearer ${token}` });
  await response.body?.cancel();
  return response;
}

describe('compat: official tests/test_auth.py — introspection by the bin (HQ behind a recording proxy)', function () {
  this.timeout(30_000);
  let hq: RunningHq;
  let proxy: HqProxy;
  let bin: RunningBin;
  let requestsAtStart = -1;

  before(async () => {
    await buildBin();
    hq = await startHq({ port: 0 });
    proxy = await startHqProxy(hq.url);
    bin = await startOAuthBin({ LENSES_URL: proxy.url });
    requestsAtStart = proxy.requests.length;
  });
  after(async () => {
    await bin?.stop();
    await proxy?.close();
    await hq?.close();
  });

  it('official test_verifier_starts_undiscovered: the bin asks HQ nothing at start-up; the first request with a token is introspected', async () => {
    assert.equal(requestsAtStart, 0);
    const token = await tokenFor(hq, ['read']);
    assert.equal((await initializeWith(bin.url, token)).status, 200);
    assert.equal(proxy.to(INTROSPECT).length, 1);
  });

  it('official test_verify_token_inactive_returns_none: a token HQ calls inactive gets 401 invalid_token', async () => {
    const response = await initializeWith(bin.url, 'made-up-token');
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
  });

  it('official test_verify_token_no_auth_header_sent: the introspection request is an unauthenticated form POST of the token', async () => {
    const token = await tokenFor(hq, ['read']);
    await initializeWith(bin.url, token);
    const last = proxy.to(INTROSPECT).at(-1);
    assert.ok(last);
    assert.equal(last.method, 'POST');
    assert.equal(last.headers.authorization, undefined);
    assert.match(String(last.headers['content-type']), /^application\/x-www-form-urlencoded/);
    assert.deepEqual(Object.fromEntries(new URLSearchParams(last.body)), { token, token_type_hint: 'access_token' });
  });

  it('official test_extract_scopes_space_separated: HQ\'s "read write delete" gives every tool', async () => {
    const token = await tokenFor(hq, ['read', 'write', 'delete']);
    assert.equal((await hq.introspect(token)).scope, 'read write delete', 'the emulator answers one string by default');
    assert.equal(await withClient(bin.url, token, async (client) => (await client.listTools()).tools.length), 45);
  });

  describe('token fingerprints in the log', () => {
    const first = 'made-up-token-one';
    const second = 'made-up-token-two';
    const refusals = () =>
      bin
        .stderr()
        .split('\n')
        .filter((line) => line.includes('Refused token'));

    before(async () => {
      for (const token of [first, first, second]) await initializeWith(bin.url, token);
    });

    it('official test_token_fingerprint_is_deterministic: the same token is logged with the same fingerprint each time', () => {
      const fingerprint = sha256Hex(first).slice(0, 8);
      assert.ok(refusals().filter((line) => line.includes(fingerprint)).length >= 2, refusals().join('\n'));
    });

    it('official test_token_fingerprint_differs_across_tokens: two tokens are logged with two fingerprints', () => {
      assert.notEqual(sha256Hex(first).slice(0, 8), sha256Hex(second).slice(0, 8));
      assert.ok(refusals().some((line) => line.includes(sha256Hex(second).slice(0, 8))));
    });

    it('official test_token_fingerprint_is_eight_hex_chars: the fingerprint is eight hex characters', () => {
      for (const line of refusals()) assert.match(line, /Refused token [0-9a-f]{8}: /);
    });

    it('official test_token_fingerprint_is_prefix_of_cache_key: it is the start of the SHA-256 the cache is keyed by, so an operator can compute it', () => {
      assert.ok(refusals().some((line) => line.includes(`Refused token ${sha256Hex(first).slice(0, 8)}: `)));
    });

    it('official test_token_fingerprint_does_not_contain_raw_token: no token appears in the log', () => {
      assert.ok(!bin.stderr().includes(first) && !bin.stderr().includes(second));
    });
  });
});

describe('compat: official tests/test_auth.py — what the bin does with introspection answers and failures', function () {
  this.timeout(30_000);
  let hq: RunningHq;
  before(async () => {
    await buildBin();
    hq = await startHq({ port: 0 });
  });
  after(() => hq?.close());

  /** Runs the OAuth bin against a proxy of the emulator for the length of `use`. */
  async function withProxiedBin(
    proxyOptions: Parameters<typeof startHqProxy>[1],
    env: Record<string, string>,
    use: (bin: RunningBin, proxy: HqProxy) => Promise<void>,
  ): Promise<void> {
    const proxy = await startHqProxy(hq.url, proxyOptions);
    const bin = await startOAuthBin({ LENSES_URL: proxy.url, ...env });
    try {
      await use(bin, proxy);
    } finally {
      await bin.stop();
      await proxy.close();
    }
  }

  describe('INTROSPECTION_URL set', () => {
    let api: HqProxy;
    let introspection: HqProxy;
    let bin: RunningBin;
    before(async () => {
      api = await startHqProxy(hq.url);
      introspection = await startHqProxy(hq.url);
      bin = await startOAuthBin({ LENSES_URL: api.url, INTROSPECTION_URL: `${introspection.url}${INTROSPECT}` });
      const token = await tokenFor(hq, ['read']);
      await withClient(bin.url, token, (client) => client.callTool(LIST_TOPICS));
    });
    after(async () => {
      await bin?.stop();
      await api?.close();
      await introspection?.close();
    });

    it('official test_verifier_stores_introspection_url_override: tokens are introspected at INTROSPECTION_URL, exactly', () => {
      assert.ok(introspection.requests.length > 0);
      for (const request of introspection.requests) assert.equal(`${request.method} ${request.path}`, `POST ${INTROSPECT}`);
    });

    it('official test_verify_token_skips_discovery_with_override: no metadata is fetched and LENSES_URL gets no introspection; it still serves the API calls', () => {
      assert.equal(api.to(WELL_KNOWN).length + introspection.to(WELL_KNOWN).length, 0);
      assert.equal(api.to(INTROSPECT).length, 0);
      assert.ok(api.to('/api/v1/environments/dev/proxy/api/topics').length > 0);
    });
  });

  it('official test_verifier_strips_trailing_slash: LENSES_URL with a trailing slash introspects at /oauth2/introspect (no double slash)', async () => {
    const proxy = await startHqProxy(hq.url);
    const bin = await startOAuthBin({ LENSES_URL: `${proxy.url}/` });
    try {
      assert.equal((await initializeWith(bin.url, await tokenFor(hq, ['read']))).status, 200);
      assert.deepEqual(
        proxy.requests.map((request) => request.path),
        [INTROSPECT],
      );
    } finally {
      await bin.stop();
      await proxy.close();
    }
  });

  it('official test_verify_token_expired_returns_none: an answer active:true with exp in the past gets 401 invalid_token', async () => {
    const expired = (request: { path: string }, answer: { status: number; body: string }) =>
      request.path.startsWith(INTROSPECT) ? json(200, { ...(JSON.parse(answer.body) as object), exp: Math.floor(Date.now() / 1000) - 3600 }) : answer;
    await withProxiedBin({ rewrite: expired }, {}, async (bin) => {
      const response = await initializeWith(bin.url, await tokenFor(hq, ['read']));
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    });
  });

  it('official test_verify_token_http_error_returns_none — deliberate difference (RS-11): an introspection 5xx is our 503 with Retry-After, not a 401, so a passing HQ failure does not send every user to sign in again', async () => {
    const failing = (request: { path: string }) => (request.path.startsWith(INTROSPECT) ? json(500, { error: 'server_error' }) : undefined);
    await withProxiedBin({ intercept: failing }, {}, async (bin) => {
      const response = await postRaw(bin.url, INITIALIZE, { Authorization: `Bearer ${await tokenFor(hq, ['read'])}` });
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('retry-after'), '5');
      assert.match(await response.text(), /Cannot validate the access token right now: The Lenses token introspection endpoint answered HTTP 500/);
    });
  });

  it('RS-11 deliberate difference: introspection unreachable is our 503 with Retry-After (the official answers 401)', async () => {
    const bin = await startOAuthBin({ LENSES_URL: hq.url, INTROSPECTION_URL: 'http://127.0.0.1:9/oauth2/introspect' });
    try {
      const response = await initializeWith(bin.url, await tokenFor(hq, ['read']));
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('retry-after'), '5');
    } finally {
      await bin.stop();
    }
  });

  it('official test_verify_token_caching: with INTROSPECTION_CACHE_TTL=300 two requests with one token cost one introspection', async () => {
    await withProxiedBin({}, { INTROSPECTION_CACHE_TTL: '300' }, async (bin, proxy) => {
      const token = await tokenFor(hq, ['read']);
      assert.equal((await initializeWith(bin.url, token)).status, 200);
      assert.equal((await initializeWith(bin.url, token)).status, 200);
      assert.equal(proxy.to(INTROSPECT).length, 1);
    });
  });

  it('official test_extract_scopes_list: HQ answering scope as a list ["read", "write"] gives the read and write tools', async () => {
    const listHq = await startHq({ port: 0, oauthModes: { introspectionScopeList: true } });
    const bin = await startOAuthBin({ LENSES_URL: listHq.url });
    try {
      const token = (await obtainTokens(listHq, { scopes: ['read', 'write'], resource: RESOURCE })).accessToken;
      assert.deepEqual((await listHq.introspect(token)).scope, ['read', 'write'], 'the emulator answers a list in this mode');
      const tools = await withClient(bin.url, token, async (client) => (await client.listTools()).tools.length);
      assert.equal(tools, 40, '24 read + 16 write');
    } finally {
      await bin.stop();
      await listHq.close();
    }
  });

  it('scope of another shape than a string or a list of strings is a malformed answer: 503, never a guess (RS-11)', async () => {
    const numbers = (request: { path: string }, answer: { status: number; body: string }) =>
      request.path.startsWith(INTROSPECT) ? json(200, { ...(JSON.parse(answer.body) as object), scope: [1, 2] }) : answer;
    await withProxiedBin({ rewrite: numbers }, {}, async (bin) => {
      const response = await postRaw(bin.url, INITIALIZE, { Authorization: `Bearer ${await tokenFor(hq, ['read'])}` });
      assert.equal(response.status, 503);
      assert.match(await response.text(), /malformed field\(s\): scope/);
    });
  });

  it('official test_extract_scopes_missing: an answer without scope holds no scope: no tools listed, and a call gets 403 insufficient_scope', async () => {
    const noScope = (request: { path: string }, answer: { status: number; body: string }) => {
      if (!request.path.startsWith(INTROSPECT)) return answer;
      const { scope: _dropped, ...rest } = JSON.parse(answer.body) as Record<string, unknown>;
      return json(200, rest);
    };
    await withProxiedBin({ rewrite: noScope }, {}, async (bin) => {
      const token = await tokenFor(hq, ['read']);
      await withClient(bin.url, token, async (client) => assert.equal((await client.listTools()).tools.length, 0));
      const call = await postRaw(bin.url, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: LIST_TOPICS }, { Authorization: `Bearer ${token}` });
      assert.equal(call.status, 403);
      assert.match(call.headers.get('www-authenticate') ?? '', /error="insufficient_scope", scope="read"/);
    });
  });

  it('official test_resolve_token_falls_back_to_api_key: in API-key mode every HQ call carries LENSES_API_KEY as the bearer', async () => {
    const proxy = await startHqProxy(hq.url);
    const bin = await startBin({ LENSES_URL: proxy.url, LENSES_API_KEY: hq.apiKey, TRANSPORT: 'http', HOST: '127.0.0.1', PORT: '0' });
    try {
      const result = await withClient(bin.url, undefined, (client) => client.callTool(LIST_TOPICS));
      assert.equal(result.isError, undefined, resultText(result));
      const calls = proxy.to('/api/');
      assert.ok(calls.length > 0);
      for (const call of calls) assert.equal(call.headers.authorization, `Bearer ${hq.apiKey}`);
    } finally {
      await bin.stop();
      await proxy.close();
    }
  });

  it('official test_resolve_token_raises_without_any_credential — deliberate difference: with no credential at all the bin does not start; it exits 2 with one line naming LENSES_API_KEY (the official starts and fails every call)', async () => {
    const { code, stdout, stderr } = await runBin([], { LENSES_URL: hq.url });
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, 'lenses-mcp: LENSES_API_KEY is required in API-key mode (for OAuth set OAUTH_ENABLED=true and MCP_ADVERTISED_URL)\n');
  });
});

describe('compat: official tests/test_auth.py — an HQ 401 on a forwarded call evicts the token (INTROSPECTION_CACHE_TTL=300)', function () {
  this.timeout(30_000);
  let hq: RunningHq;
  let proxy: HqProxy;
  let bin: RunningBin;
  let revokedToken = '';
  let otherToken = '';
  const seen = {
    introspectionsAfterFirstCall: 0,
    introspectionsAfterSecondCall: 0,
    introspectionsAfterHq401: 0,
    introspectionsAfterNextRequest: 0,
    introspectionsAfterOtherToken: 0,
    hq401Result: undefined as { isError?: boolean; text: string } | undefined,
    nextRequestStatus: 0,
    otherTokenStatus: 0,
  };

  before(async () => {
    await buildBin();
    hq = await startHq({ port: 0 });
    proxy = await startHqProxy(hq.url);
    bin = await startOAuthBin({ LENSES_URL: proxy.url, INTROSPECTION_CACHE_TTL: '300' });
    const tokens = await obtainTokens(hq, { scopes: ['read'], resource: RESOURCE });
    revokedToken = tokens.accessToken;
    otherToken = await tokenFor(hq, ['read']);
    assert.equal((await initializeWith(bin.url, otherToken)).status, 200);
    const introspections = () => proxy.to(INTROSPECT).length;
    await withClient(bin.url, revokedToken, async (client) => {
      assert.equal((await client.callTool(LIST_TOPICS)).isError, undefined);
      seen.introspectionsAfterFirstCall = introspections();
      await client.callTool(LIST_TOPICS);
      seen.introspectionsAfterSecondCall = introspections();
      const revoked = await fetch(`${hq.url}/oauth2/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: revokedToken, client_id: tokens.clientId }).toString(),
      });
      assert.equal(revoked.status, 200);
      // Still cached as active: the call reaches HQ, which answers 401.
      const result = await client.callTool(LIST_TOPICS);
      seen.hq401Result = { isError: result.isError, text: resultText(result) };
      seen.introspectionsAfterHq401 = introspections();
    });
    seen.nextRequestStatus = (await initializeWith(bin.url, revokedToken)).status;
    seen.introspectionsAfterNextRequest = introspections();
    seen.otherTokenStatus = (await initializeWith(bin.url, otherToken)).status;
    seen.introspectionsAfterOtherToken = introspections();
  });
  after(async () => {
    await bin?.stop();
    await proxy?.close();
    await hq?.close();
  });

  it('official test_invalidate_removes_cached_entry: after HQ answered 401, the cached "active" no longer lets the token in (401)', () => {
    assert.equal(seen.nextRequestStatus, 401);
  });

  it('official test_invalidate_forces_fresh_introspection_on_next_call: cached calls cost no introspection; the request after the eviction does', () => {
    assert.equal(seen.introspectionsAfterSecondCall, seen.introspectionsAfterFirstCall, 'the second call used the cache');
    assert.equal(seen.introspectionsAfterHq401, seen.introspectionsAfterFirstCall, 'the call HQ refused used the cache too');
    assert.equal(seen.introspectionsAfterNextRequest, seen.introspectionsAfterHq401 + 1);
  });

  it("official test_invalidate_cached_token_delegates_to_verifier: the eviction reaches the running server's cache for that token only (another token stays cached)", () => {
    assert.equal(seen.otherTokenStatus, 200);
    assert.equal(seen.introspectionsAfterOtherToken, seen.introspectionsAfterNextRequest, 'the other token was not introspected again');
  });

  it('official test_handle_downstream_401_invalidates_token: the tool call HQ refused is what evicted the token', () => {
    assert.equal(seen.hq401Result?.isError, true);
    assert.equal(seen.nextRequestStatus, 401);
    assert.equal(seen.introspectionsAfterNextRequest, seen.introspectionsAfterHq401 + 1);
  });

  it('official test_handle_downstream_401_returns_authentication_required_error: the tool answers that the token was rejected and to re-authenticate', () => {
    // As the official: HQ's own words, then the hint to authenticate again.
    assert.match(
      seen.hq401Result?.text ?? '',
      /^Authentication error: Lenses rejected the access token \(HTTP 401\) for list_topics\. Lenses said: ".+"\. Re-authenticate/,
    );
  });

  it('official test_authentication_required_error_is_tool_error: it is a tool result with isError, not a protocol error', () => {
    // callTool resolved (a JSON-RPC error would have thrown) with isError set.
    assert.equal(seen.hq401Result?.isError, true);
  });

  it('official test_authentication_required_error_preserves_message: the text names the tool and what to do next', () => {
    assert.match(seen.hq401Result?.text ?? '', /list_topics.*sign in to Lenses again/);
  });

  it('official test_handle_downstream_401_logs_warning_with_fingerprint: one warning with the token fingerprint, never the token', () => {
    const fingerprint = sha256Hex(revokedToken).slice(0, 8);
    assert.match(bin.stderr(), new RegExp(`warn HQ rejected token ${fingerprint} on list_topics; evicting it`));
    assert.ok(!bin.stderr().includes(revokedToken));
  });
});

describe('compat: official tests/test_auth.py — an HQ 401 with nothing cached, and in API-key mode', function () {
  this.timeout(30_000);
  let hq: RunningHq;
  let proxy: HqProxy;
  let bin: RunningBin;
  let hqRefuses = false;

  before(async () => {
    await buildBin();
    hq = await startHq({ port: 0 });
    const problem = json(401, { type: 'about:blank', title: 'Unauthorized', status: 401 });
    proxy = await startHqProxy(hq.url, { intercept: (request) => (hqRefuses && request.path.includes('/proxy/api/topics') ? problem : undefined) });
    bin = await startOAuthBin({ LENSES_URL: proxy.url });
  });
  after(async () => {
    await bin?.stop();
    await proxy?.close();
    await hq?.close();
  });

  it('official test_invalidate_noop_when_caching_disabled: with INTROSPECTION_CACHE_TTL=0 an HQ 401 is a tool error and the server keeps serving the token once HQ accepts it', async () => {
    const token = await tokenFor(hq, ['read']);
    await withClient(bin.url, token, async (client) => {
      hqRefuses = true;
      assert.equal((await client.callTool(LIST_TOPICS)).isError, true);
      hqRefuses = false;
      assert.equal((await client.callTool(LIST_TOPICS)).isError, undefined);
    });
  });

  it('official test_invalidate_unknown_token_noop: HQ refusing a token twice in a row (nothing left to evict) gives the same tool error both times', async () => {
    const token = await tokenFor(hq, ['read']);
    await withClient(bin.url, token, async (client) => {
      hqRefuses = true;
      try {
        for (let i = 0; i < 2; i++)
          assert.match(resultText(await client.callTool(LIST_TOPICS)), /^Authentication error: Lenses rejected the access token \(HTTP 401\)/);
      } finally {
        hqRefuses = false;
      }
    });
  });

  it('official test_handle_downstream_401_still_returns_error_when_invalidator_fails: the re-authenticate answer comes back whether or not there was an entry to evict', async () => {
    const token = await tokenFor(hq, ['read']);
    await withClient(bin.url, token, async (client) => {
      hqRefuses = true;
      try {
        const result = await client.callTool(LIST_TOPICS);
        assert.equal(result.isError, true);
        assert.match(resultText(result), /Re-authenticate/);
      } finally {
        hqRefuses = false;
      }
    });
  });

  it('official test_handle_downstream_401_uses_provided_client_logger: an HQ 401 on the SQL WebSocket is logged with the fingerprint like one on an HTTP call', async () => {
    const keyBin = await startBin({ LENSES_URL: hq.url, LENSES_API_KEY: 'not-the-key', TRANSPORT: 'http', HOST: '127.0.0.1', PORT: '0' });
    try {
      await withClient(keyBin.url, undefined, async (client) => {
        await client.callTool({ name: 'execute_sql', arguments: { environment: 'dev', sql: 'SELECT * FROM orders LIMIT 1' } });
        await client.callTool(LIST_TOPICS);
      });
      const fingerprint = sha256Hex('not-the-key').slice(0, 8);
      assert.match(keyBin.stderr(), new RegExp(`HQ rejected token ${fingerprint} on execute_sql`));
      assert.match(keyBin.stderr(), new RegExp(`HQ rejected token ${fingerprint} on list_topics`));
    } finally {
      await keyBin.stop();
    }
  });

  it('official test_invalidate_cached_token_noop_outside_request_context: over stdio (no HTTP request) an HQ 401 is a tool error and the server keeps answering', async () => {
    const client = await connectStdioBin({ LENSES_URL: hq.url, LENSES_API_KEY: 'not-the-key' });
    try {
      const result = await client.callTool(LIST_TOPICS);
      assert.equal(result.isError, true);
      assert.match(resultText(result), /^Lenses HQ rejected the API key: check LENSES_API_KEY/);
      assert.equal((await client.listTools()).tools.length, 45);
    } finally {
      await client.close();
    }
  });

  it('official test_invalidate_cached_token_noop_without_auth_provider: API-key mode over HTTP (no introspection at all) answers an HQ 401 with a tool error and keeps serving', async () => {
    const keyBin = await startBin({ LENSES_URL: hq.url, LENSES_API_KEY: 'not-the-key', TRANSPORT: 'http', HOST: '127.0.0.1', PORT: '0' });
    try {
      await withClient(keyBin.url, undefined, async (client) => {
        for (let i = 0; i < 2; i++) assert.equal((await client.callTool(LIST_TOPICS)).isError, true);
      });
      assert.equal((await fetch(new URL('/health', keyBin.url))).status, 200);
    } finally {
      await keyBin.stop();
    }
  });

  it('official test_invalidate_cached_token_ignores_foreign_verifier: with a credential no sign-in can renew (the API key), the answer is about the key, not "sign in again"', async () => {
    const client = await connectStdioBin({ LENSES_URL: hq.url, LENSES_API_KEY: 'not-the-key' });
    try {
      const text = resultText(await client.callTool(LIST_TOPICS));
      assert.match(text, /check LENSES_API_KEY/);
      assert.doesNotMatch(text, /sign in|re-authenticate/i);
    } finally {
      await client.close();
    }
  });
});

describe("compat: official tests/test_auth.py — discovery (the editor's embedded server finds introspection in HQ's metadata)", function () {
  this.timeout(20_000);
  let hq: RunningHq;
  before(async () => {
    hq = await startHq({ port: 0 });
  });
  after(() => hq?.close());

  /** A proxy of the emulator whose metadata names the proxy (so the issuer matches), optionally changed further. */
  function proxyOfHq(options: { metadata?: (metadata: Record<string, unknown>) => Record<string, unknown>; failMetadata?: () => boolean } = {}) {
    let url = '';
    return startHqProxy(hq.url, {
      intercept: (request) => (request.path.startsWith(WELL_KNOWN) && options.failMetadata?.() ? { status: 500, body: 'Internal Server Error' } : undefined),
      rewrite: (request, answer) => {
        if (!request.path.startsWith(WELL_KNOWN) || answer.status !== 200) return answer;
        const metadata = JSON.parse(answer.body.split(hq.url).join(url)) as Record<string, unknown>;
        return json(200, options.metadata ? options.metadata(metadata) : metadata);
      },
    }).then((proxy) => {
      url = proxy.url;
      return proxy;
    });
  }

  it("official test_discover_sets_introspection_url: the endpoint is the introspection_endpoint of HQ's RFC 8414 metadata", async () => {
    const proxy = await proxyOfHq({
      metadata: (metadata) => ({ ...metadata, introspection_endpoint: `${String(metadata.issuer)}/oauth2/introspect?via=metadata` }),
    });
    try {
      assert.equal(await introspectionEndpointFromMetadata(proxy.url), `${proxy.url}/oauth2/introspect?via=metadata`);
      assert.deepEqual(
        proxy.requests.map((request) => request.path),
        ['/.well-known/oauth-authorization-server'],
      );
    } finally {
      await proxy.close();
    }
  });

  it('official test_discover_falls_back_to_default_introspection_url: metadata naming no introspection_endpoint means {issuer}/oauth2/introspect', async () => {
    const proxy = await proxyOfHq({ metadata: ({ introspection_endpoint: _dropped, ...metadata }) => metadata });
    try {
      assert.equal(await introspectionEndpointFromMetadata(proxy.url), `${proxy.url}/oauth2/introspect`);
    } finally {
      await proxy.close();
    }
  });

  it('official test_discover_metadata_failure_raises: metadata answering 500 fails discovery (no endpoint guessed)', async () => {
    const proxy = await proxyOfHq({ failMetadata: () => true });
    try {
      await assert.rejects(
        introspectionEndpointFromMetadata(proxy.url),
        (error: unknown) => error instanceof IntrospectionUnavailableError && /publishes no OAuth metadata/.test(error.message),
      );
      assert.equal(proxy.to(INTROSPECT).length, 0);
    } finally {
      await proxy.close();
    }
  });

  it("official test_verify_token_triggers_discovery: the first token check discovers, then introspects; the answer names the client and the token's scopes", async () => {
    const proxy = await proxyOfHq();
    try {
      const introspector = new TokenIntrospector({ url: () => introspectionEndpointFromMetadata(proxy.url), cacheTtlSeconds: 0 });
      const token = (await obtainTokens(hq, { scopes: ['read', 'write'], resource: RESOURCE })).accessToken;
      const answer = await introspector.introspect(token);
      assert.deepEqual(
        proxy.requests.map((request) => `${request.method} ${request.path}`),
        ['GET /.well-known/oauth-authorization-server', `POST ${INTROSPECT}`],
      );
      assert.equal(answer.active, true);
      assert.ok(answer.client_id);
      assert.equal(answer.scope, 'read write');
    } finally {
      await proxy.close();
    }
  });

  it('official test_verify_token_returns_none_on_discovery_failure — deliberate difference (RS-11): a failed discovery is "cannot check right now" (503 in the bin, stored scopes in the editor), never a verdict on the token', async () => {
    const proxy = await proxyOfHq({ failMetadata: () => true });
    try {
      const introspector = new TokenIntrospector({ url: () => introspectionEndpointFromMetadata(proxy.url), cacheTtlSeconds: 0 });
      await assert.rejects(introspector.introspect('some-token'), IntrospectionUnavailableError);
      assert.equal(proxy.to(INTROSPECT).length, 0);
    } finally {
      await proxy.close();
    }
  });

  it('official test_verify_token_retries_discovery_after_failure: after a failed discovery the next token check discovers again and succeeds', async () => {
    let failures = 2; // the RFC 8414 and the OpenID discovery URL of the first attempt
    const proxy = await proxyOfHq({ failMetadata: () => failures-- > 0 });
    try {
      const introspector = new TokenIntrospector({ url: () => introspectionEndpointFromMetadata(proxy.url), cacheTtlSeconds: 0 });
      const token = await tokenFor(hq, ['read']);
      await assert.rejects(introspector.introspect(token), IntrospectionUnavailableError);
      assert.equal((await introspector.introspect(token)).active, true);
      assert.equal(proxy.to(WELL_KNOWN).length, 3);
    } finally {
      await proxy.close();
    }
  });
});
