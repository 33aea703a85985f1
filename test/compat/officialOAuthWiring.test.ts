import assert from 'node:assert/strict';
import { startHq, type RunningHq } from '../../hq-emulator/testing';
import { INITIALIZE, postRaw } from '../integration/mcp/harness';
import { buildBin, bundledBinAndHq, startBin, type RunningBin } from '../integration/mcp/standaloneProcess';
import { ADVERTISED, RESOURCE, startHqProxy, startOAuthBin, tokenFor, withClient, type HqProxy } from './compatHarness';

/**
 * Mirrors of the official server's tests/test_oauth_wiring.py: in a split plane, introspection
 * goes to the internal HQ URL while clients are told the public one; discovery is never used by
 * the standalone server; INTROSPECTION_CACHE_TTL; no OAuth without MCP_ADVERTISED_URL.
 */

const PUBLIC_HQ = 'https://lenses.example.test';
const INTROSPECT = '/oauth2/introspect';
const PRM_PATH = '/.well-known/oauth-protected-resource/mcp';

async function statusOf(url: string, token: string): Promise<number> {
  const response = await postRaw(url, INITIALIZE, { Authorization: `Bearer ${token}` });
  await response.body?.cancel();
  return response.status;
}

describe('compat: official tests/test_oauth_wiring.py — a split-plane deployment of the bin', function () {
  this.timeout(30_000);
  let hq: RunningHq;
  let internal: HqProxy;
  let bin: RunningBin;
  let prm: { resource?: string; authorization_servers?: string[] } = {};
  let challenge = '';

  before(async () => {
    await buildBin();
    hq = await startHq({ port: 0 });
    internal = await startHqProxy(hq.url);
    bin = await startOAuthBin({ LENSES_URL: internal.url, LENSES_ADVERTISED_URL: PUBLIC_HQ });
    await withClient(bin.url, await tokenFor(hq, ['read']), async (client) => {
      await client.listTools();
      await client.callTool({ name: 'list_environments', arguments: {} });
    });
    prm = (await (await fetch(new URL(PRM_PATH, bin.url))).json()) as typeof prm;
    const unauthenticated = await postRaw(bin.url, INITIALIZE);
    challenge = unauthenticated.headers.get('www-authenticate') ?? '';
    await unauthenticated.body?.cancel();
  });
  after(async () => {
    await bin?.stop();
    await internal?.close();
    await hq?.close();
  });

  it('official test_split_plane_introspection_uses_internal_url: tokens are introspected at {LENSES_URL}/oauth2/introspect, the internal address', () => {
    assert.ok(internal.to(INTROSPECT).length > 0);
    for (const request of internal.to(INTROSPECT)) assert.equal(request.method, 'POST');
  });

  it("official test_split_plane_advertises_public_url_to_clients: the protected-resource metadata and the 401 name the public URLs exactly as configured; deliberate difference: no '/' is added to a bare host as the official does, since clients compare it with HQ's issuer (RS-16)", () => {
    assert.deepEqual(prm.authorization_servers, [PUBLIC_HQ]);
    assert.equal(prm.resource, RESOURCE);
    assert.equal(challenge, `Bearer resource_metadata="${ADVERTISED}${PRM_PATH}", scope="read write delete"`);
    assert.ok(!JSON.stringify(prm).includes(internal.url) && !challenge.includes(internal.url), 'the internal URL never reaches clients');
  });

  it("official test_discovery_is_bypassed_entirely: the bin never reads HQ's metadata (HQ would name its public URLs)", () => {
    assert.equal(internal.to('/.well-known/').length, 0);
  });

  it('official test_introspection_cache_ttl_zero_means_no_cache: by default (INTROSPECTION_CACHE_TTL=0) every request is introspected', async () => {
    const token = await tokenFor(hq, ['read']);
    const before = internal.to(INTROSPECT).length;
    assert.equal(await statusOf(bin.url, token), 200);
    assert.equal(await statusOf(bin.url, token), 200);
    assert.equal(internal.to(INTROSPECT).length, before + 2);
  });
});

describe('compat: official tests/test_oauth_wiring.py — other deployments', function () {
  this.timeout(30_000);
  const runningHq = bundledBinAndHq();
  let hq: RunningHq;
  beforeEach(() => {
    hq = runningHq();
  });

  it('official test_simple_deployment_uses_lenses_url_for_both: with LENSES_URL alone, HQ is introspected there and advertised as the authorization server', async () => {
    const proxy = await startHqProxy(hq.url);
    const bin = await startOAuthBin({ LENSES_URL: proxy.url });
    try {
      assert.equal(await statusOf(bin.url, await tokenFor(hq, ['read'])), 200);
      assert.equal(proxy.to(INTROSPECT).length, 1);
      const prm = (await (await fetch(new URL(PRM_PATH, bin.url))).json()) as { authorization_servers: string[] };
      assert.deepEqual(prm.authorization_servers, [proxy.url]);
    } finally {
      await bin.stop();
      await proxy.close();
    }
  });

  it('official test_explicit_introspection_url_overrides_internal_default: INTROSPECTION_URL on another host is used instead of LENSES_URL', async () => {
    const api = await startHqProxy(hq.url);
    const idp = await startHqProxy(hq.url);
    const bin = await startOAuthBin({ LENSES_URL: api.url, INTROSPECTION_URL: `${idp.url}${INTROSPECT}` });
    try {
      assert.equal(await statusOf(bin.url, await tokenFor(hq, ['read'])), 200);
      assert.equal(idp.to(INTROSPECT).length, 1);
      assert.equal(api.requests.length, 0);
    } finally {
      await bin.stop();
      await api.close();
      await idp.close();
    }
  });

  it('official test_introspection_cache_ttl_positive_enables_cache: INTROSPECTION_CACHE_TTL=300 reuses an active answer', async () => {
    const proxy = await startHqProxy(hq.url);
    const bin = await startOAuthBin({ LENSES_URL: proxy.url, INTROSPECTION_CACHE_TTL: '300' });
    try {
      const token = await tokenFor(hq, ['read']);
      for (let i = 0; i < 3; i++) assert.equal(await statusOf(bin.url, token), 200);
      assert.equal(proxy.to(INTROSPECT).length, 1);
    } finally {
      await bin.stop();
      await proxy.close();
    }
  });

  for (const [name, advertised] of [
    ['official test_no_oauth_when_mcp_advertised_url_is_none: without MCP_ADVERTISED_URL', undefined],
    ['official test_no_oauth_when_mcp_advertised_url_is_empty_string: with MCP_ADVERTISED_URL=""', ''],
  ] as const) {
    it(`${name} there is no OAuth: no protected-resource metadata, no challenge, the API key serves`, async () => {
      const bin = await startBin({
        LENSES_URL: hq.url,
        LENSES_API_KEY: hq.apiKey,
        TRANSPORT: 'http',
        HOST: '127.0.0.1',
        PORT: '0',
        ...(advertised === undefined ? {} : { MCP_ADVERTISED_URL: advertised }),
      });
      try {
        assert.equal((await fetch(new URL(PRM_PATH, bin.url))).status, 404);
        const initialized = await postRaw(bin.url, INITIALIZE);
        assert.equal(initialized.status, 200);
        await initialized.body?.cancel();
        assert.match(bin.stderr(), /info API-key mode \(OAUTH_ENABLED and MCP_ADVERTISED_URL unset\)/);
      } finally {
        await bin.stop();
      }
    });
  }
});
