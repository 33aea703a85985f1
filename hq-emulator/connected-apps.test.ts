import assert from 'node:assert/strict';
import { CONNECTED_APPS, LENSES_VERSIONS, type LensesVersion } from '../src/lenses/contract';
import { obtainTokens, postForm, startHq, type RunningHq } from './testing/index';

const PATH = '/api/v0/users/me/oauth2/authorizations';

/** An item in either published shape (6.2: grant_*; 6.3: authorization_* beside the deprecated grant_*). */
interface Item {
  authorization_id?: string;
  authorization_issued_at?: string;
  grant_id: string;
  grant_issued_at: string;
  app_name: string;
  app_display_name: string;
  app_client_id: string;
  app_provenance: string;
  scope: string[];
}

async function list(hq: RunningHq, token: string): Promise<Item[]> {
  const response = await fetch(`${hq.url}${PATH}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { items: Item[] };
  assert.ok(CONNECTED_APPS.answers[hq.lensesVersion].safeParse(body).success, `the answer is in Lenses ${hq.lensesVersion}'s published shape`);
  return body.items;
}

/** The id the version gives to revoke with: 6.3's authorization_id, 6.2's grant_id. */
function idOf(item: Item, version: LensesVersion): string {
  return version === '6.2' ? item.grant_id : (item.authorization_id ?? '');
}

function remove(hq: RunningHq, token: string, id: string): Promise<Response> {
  return fetch(`${hq.url}${PATH}/${encodeURIComponent(id)}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
}

for (const version of LENSES_VERSIONS) {
  describe(`HQ emulator (Lenses ${version}): connected applications`, () => {
    let hq: RunningHq;
    before(async () => {
      hq = await startHq({ port: 0, lensesVersion: version });
    });
    after(async () => {
      await hq.close();
    });

    it(`HQ-03 lists the caller's authorizations in Lenses ${version}'s shape: app name, client ID, provenance, scope array, issued at`, async () => {
      const tokens = await obtainTokens(hq, { username: 'admin', scopes: ['read', 'delete'], clientName: 'Listed app' });
      const item = (await list(hq, tokens.accessToken)).find((entry) => entry.app_client_id === tokens.clientId);
      assert.ok(item);
      assert.equal(item.app_name, 'Listed app');
      assert.equal(item.app_display_name, 'Listed app');
      assert.deepEqual(item.scope, ['read', 'delete']);
      assert.equal(item.app_provenance, 'dcr');
      assert.equal(typeof item.grant_id, 'string');
      assert.ok(Math.abs(Date.parse(item.grant_issued_at) - Date.now()) < 60_000);
      if (version === '6.2') assert.ok(!('authorization_id' in item), '6.2 has no authorization_id');
      else assert.equal(item.authorization_issued_at, item.grant_issued_at, '6.3 keeps grant_* beside authorization_*');
      for (const unpublished of ['client_id', 'client_name', 'scopes', 'registration_method']) assert.ok(!(unpublished in item), unpublished);
    });

    it("keeps users apart: alice can neither see nor delete admin's authorizations", async () => {
      const admin = await obtainTokens(hq, { username: 'admin', scopes: ['read'], clientName: 'Admin app' });
      const alice = await obtainTokens(hq, { username: 'alice', scopes: ['read'], clientName: 'Alice app' });
      const adminItems = await list(hq, admin.accessToken);
      const aliceItems = await list(hq, alice.accessToken);
      const adminGrant = adminItems.find((item) => item.app_client_id === admin.clientId);
      assert.ok(adminGrant);
      assert.ok(aliceItems.some((item) => item.app_client_id === alice.clientId));
      assert.ok(!aliceItems.some((item) => item.app_client_id === admin.clientId), "alice sees none of admin's apps");
      assert.ok(!aliceItems.some((item) => adminItems.some((other) => other.grant_id === item.grant_id)));

      const refused = await remove(hq, alice.accessToken, idOf(adminGrant, version));
      assert.equal(refused.status, 404);
      assert.match(refused.headers.get('content-type') ?? '', /application\/problem\+json/);
      const problem = (await refused.json()) as Record<string, unknown>;
      assert.equal(problem.status, 404);
      assert.equal(typeof problem.title, 'string');
      assert.equal(problem.type, 'not_found');
      assert.equal(typeof problem.request_id, 'string');
      assert.equal((await hq.introspect(admin.accessToken)).active, true, "admin's token is untouched");
    });

    it('answers 404 for an unknown authorization id', async () => {
      const tokens = await obtainTokens(hq, { scopes: ['read'] });
      assert.equal((await remove(hq, tokens.accessToken, 'no-such-grant')).status, 404);
    });

    it("deleting the caller's own current authorization works once and ends its token", async () => {
      const tokens = await obtainTokens(hq, { username: 'alice', scopes: ['read'], clientName: 'Self revoke' });
      const item = (await list(hq, tokens.accessToken)).find((entry) => entry.app_client_id === tokens.clientId);
      assert.ok(item);
      assert.equal((await remove(hq, tokens.accessToken, idOf(item, version))).status, 204);
      assert.equal((await remove(hq, tokens.accessToken, idOf(item, version))).status, 401, 'its own token died with it');
    });

    for (const [label, headers] of [
      ['no bearer', {}],
      ['an unknown bearer', { authorization: 'Bearer not-a-token' }],
      ['Basic credentials', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
    ] as const) {
      it(`answers 401 with an RFC 7807 body for ${label}`, async () => {
        for (const [method, path] of [
          ['GET', PATH],
          ['DELETE', `${PATH}/anything`],
        ] as const) {
          const response = await fetch(`${hq.url}${path}`, { method, headers });
          assert.equal(response.status, 401, `${method} ${path}`);
          assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
          const body = (await response.json()) as Record<string, unknown>;
          assert.deepEqual(
            Object.keys(body)
              .filter((key) => ['type', 'title', 'status', 'request_id'].includes(key))
              .sort(),
            ['request_id', 'status', 'title', 'type'],
          );
          assert.equal(body.status, 401);
        }
      });
    }

    it('a refresh token is not a bearer for the API', async () => {
      const tokens = await obtainTokens(hq, { scopes: ['read'] });
      const response = await fetch(`${hq.url}${PATH}`, { headers: { authorization: `Bearer ${tokens.refreshToken}` } });
      assert.equal(response.status, 401);
    });

    it('the API key is a principal with no OAuth authorizations of its own', async () => {
      assert.deepEqual(await list(hq, hq.apiKey), []);
    });
  });
}

describe('HQ emulator: DCR off and pre-registered clients', () => {
  let hq: RunningHq;
  before(async () => {
    hq = await startHq({
      port: 0,
      dcr: false,
      preRegisteredClients: [{ client_id: 'vscode-lenses', client_name: 'Lenses MCP for VS Code', redirect_uris: ['http://127.0.0.1/callback'] }],
    });
  });
  after(async () => {
    await hq.close();
  });

  it('advertises no registration endpoint and refuses DCR', async () => {
    const metadata = (await (await fetch(`${hq.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    assert.equal(metadata.registration_endpoint, undefined);
    const response = await fetch(`${hq.url}/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['http://127.0.0.1/callback'] }),
    });
    assert.notEqual(response.status, 201);
  });

  it('signs in with the pre-registered client, listed with registration method "api"', async () => {
    const tokens = await obtainTokens(hq, { clientId: 'vscode-lenses', scopes: ['read', 'write'] });
    assert.equal(tokens.scope, 'read write');
    const items = await list(hq, tokens.accessToken);
    assert.equal(items.length, 1);
    assert.equal(items[0].app_display_name, 'Lenses MCP for VS Code');
    assert.equal(items[0].app_provenance, 'api');
    const revoked = await postForm(`${hq.url}/oauth2/revoke`, { token: tokens.refreshToken ?? '', client_id: 'vscode-lenses' });
    assert.equal(revoked.status, 200);
  });
});

describe('HQ emulator: token lifetime', () => {
  let hq: RunningHq;
  before(async () => {
    hq = await startHq({ port: 0, tokenTtlSeconds: 5 });
  });
  after(async () => {
    await hq.close();
  });

  it('issues access tokens with the configured TTL', async () => {
    const tokens = await obtainTokens(hq, { scopes: ['read'], resource: 'http://127.0.0.1:8000/mcp' });
    assert.equal(tokens.expiresIn, 5);
    const introspection = await hq.introspect(tokens.accessToken);
    assert.ok(Number(introspection.exp) - Number(introspection.iat) <= 5);
  });
});
