import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listAuthorizations, revokeAuthorization } from '../../../src/lenses/connectedApps';
import { LensesApiError, LensesConnectionError, UnsafePathSegmentError } from '../../../src/lenses/errors';
import { applicationNode, applicationNodes, revokeConfirmation, UNNAMED_APPLICATION } from '../../../src/vscode/connectedApps/connectedApps';
import { CONNECTED_APPS_62, CONNECTED_APPS_63 } from '../lenses/publishedAnswers';

describe('connected applications (HQ client)', () => {
  let server: Server;
  let baseUrl: string;
  let answer: { status: number; body: string; type?: string } = { status: 200, body: '{"items":[]}' };
  const seen: Array<{ method?: string; url?: string; authorization?: string }> = [];

  before(async () => {
    server = createServer((request: IncomingMessage, response) => {
      seen.push({ method: request.method, url: request.url, authorization: request.headers.authorization });
      response.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json' });
      response.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
  });

  it('HQ-03 reads the Lenses 6.2 list (grant_id, app_*, scope): display name else name, client ID, provenance, scopes, issued at', async () => {
    answer = { status: 200, body: JSON.stringify(CONNECTED_APPS_62) };
    const items = await listAuthorizations(baseUrl, 'tok');
    assert.deepEqual(seen[0], { method: 'GET', url: '/api/v0/users/me/oauth2/authorizations', authorization: 'Bearer tok' });
    assert.deepEqual(items, [
      { id: 'grant-1', issuedAt: '2026-11-01T10:00:00Z', name: 'Claude', clientId: 'c1', provenance: 'dcr', scopes: ['read'] },
      { id: 'grant-2', issuedAt: '2026-11-02T10:00:00Z', name: 'ci-bot', clientId: 'ci', provenance: 'api', scopes: ['read', 'write'] },
    ]);
  });

  it('HQ-03 reads the Lenses 6.3 list: authorization_id (not the deprecated grant_id) is the id to revoke with; absent app fields are tolerated', async () => {
    answer = { status: 200, body: JSON.stringify(CONNECTED_APPS_63) };
    const items = await listAuthorizations(baseUrl, 'tok');
    assert.deepEqual(items, [
      { id: 'auth-1', issuedAt: '2026-11-01T10:00:00Z', name: 'Claude', clientId: 'c1', provenance: 'dcr', scopes: ['read'] },
      { id: 'auth-2', issuedAt: '2026-11-02T10:00:00Z', scopes: [] },
    ]);
    answer = { status: 204, body: '' };
    await revokeAuthorization(baseUrl, 'tok', items[0].id);
    assert.equal(seen.at(-1)?.url, '/api/v0/users/me/oauth2/authorizations/auth-1');
  });

  it('HQ-02 an unknown list shape keeps the items one version can read, and drops the rest', async () => {
    answer = {
      status: 200,
      body: JSON.stringify({ items: [{ client_id: 'x', client_name: 'no id: dropped' }, { grant_id: 'g9', scope: ['read'] }, 'junk'] }),
    };
    assert.deepEqual(await listAuthorizations(baseUrl, 'tok'), [{ id: 'g9', scopes: ['read'] }]);
    answer = { status: 200, body: JSON.stringify({ authorizations: [] }) };
    assert.deepEqual(await listAuthorizations(baseUrl, 'tok'), []);
  });

  it('revokes with DELETE on the authorization', async () => {
    answer = { status: 204, body: '' };
    await revokeAuthorization(baseUrl, 'tok', 'grant-42');
    assert.deepEqual(seen[0], { method: 'DELETE', url: '/api/v0/users/me/oauth2/authorizations/grant-42', authorization: 'Bearer tok' });
  });

  it('refuses an authorization id that would change the route', async () => {
    await assert.rejects(revokeAuthorization(baseUrl, 'tok', '../../environments'), UnsafePathSegmentError);
    assert.equal(seen.length, 0);
  });

  it('turns an RFC 7807 answer into a readable error', async () => {
    answer = {
      status: 403,
      body: JSON.stringify({ type: 'forbidden', title: 'You cannot list grants', status: 403, request_id: 'r1' }),
      type: 'application/problem+json',
    };
    await assert.rejects(listAuthorizations(baseUrl, 'tok'), (error: unknown) => {
      assert.ok(error instanceof LensesApiError);
      assert.equal(error.message, 'Lenses answered 403 You cannot list grants');
      assert.equal(error.requestId, 'r1');
      return true;
    });
  });

  it('says HQ is unreachable without leaking the token', async () => {
    await assert.rejects(listAuthorizations('http://127.0.0.1:1', 'secret-token'), (error: unknown) => {
      assert.ok(error instanceof LensesConnectionError);
      assert.doesNotMatch(error.message, /secret-token/);
      return true;
    });
  });
});

describe('connected applications (tree nodes)', () => {
  it('labels by display name (else name), then client id, then "Unnamed application"', () => {
    assert.equal(applicationNode({ id: 'a', name: 'Cursor', clientId: 'c', scopes: [] }, undefined).label, 'Cursor');
    assert.equal(applicationNode({ id: 'a', clientId: 'c', scopes: [] }, undefined).label, 'c');
    assert.equal(applicationNode({ id: 'a', scopes: [] }, undefined).label, UNNAMED_APPLICATION);
  });

  it('describes scopes and marks this VS Code', () => {
    const other = applicationNode({ id: 'a', clientId: 'other', scopes: ['read', 'write'], provenance: 'dcr' }, 'mine');
    assert.equal(other.description, 'read, write');
    assert.equal(other.contextValue, 'lensesApplication');
    assert.equal(other.icon, 'plug');
    const self = applicationNode({ id: 'b', clientId: 'mine', name: 'Lenses MCP for VS Code', scopes: ['read'] }, 'mine');
    // First, so a narrow sidebar that cuts the description still shows it; the tooltip has the rest.
    assert.equal(self.description, 'this VS Code · read');
    assert.match(self.tooltip, /\(this VS Code\)/);
    assert.equal(self.contextValue, 'lensesApplication.self');
    assert.equal(self.icon, 'vm-active');
    assert.equal(self.isSelf, true);
  });

  it('icons and tooltips follow the registration method', () => {
    const preRegistered = applicationNode({ id: 'a', clientId: 'ci', name: 'CI bot', provenance: 'api', issuedAt: '1764237600', scopes: [] }, undefined);
    assert.equal(preRegistered.icon, 'verified');
    assert.match(preRegistered.tooltip, /Client ID: `ci`/);
    assert.match(preRegistered.tooltip, /Registration: Pre-registered/);
    assert.match(preRegistered.tooltip, /Issued at: 2025-11-27 10:00:00 UTC/);
    const dcr = applicationNode({ id: 'a', provenance: 'dcr', scopes: [] }, undefined);
    assert.match(dcr.tooltip, /Registration: Dynamic Client Registration/);
    assert.match(dcr.tooltip, /Client ID: `unknown`/);
    assert.match(dcr.tooltip, /Issued at: unknown/);
    assert.equal(dcr.description, 'no scopes listed');
  });

  it('escapes Markdown in application names', () => {
    const node = applicationNode({ id: 'a', name: '[click](http://evil)', scopes: [] }, undefined);
    assert.doesNotMatch(node.tooltip, /\[click\]\(http/);
  });

  it('puts this VS Code first, then sorts by name', () => {
    const nodes = applicationNodes(
      [
        { id: '1', name: 'b', scopes: [] },
        { id: '2', name: 'a', scopes: [] },
        { id: '3', clientId: 'mine', name: 'z', scopes: [] },
      ],
      'mine',
    );
    assert.deepEqual(
      nodes.map((n) => n.label),
      ['z', 'a', 'b'],
    );
  });

  it('the revoke confirmation names the app and its scopes, and warns about signing out for our own', () => {
    const other = revokeConfirmation(applicationNode({ id: 'a', name: 'Claude', scopes: ['read', 'write'] }, undefined));
    assert.equal(other.message, 'Revoke access for "Claude"?');
    assert.match(other.detail, /"Claude" will lose its read, write access/);
    const self = revokeConfirmation(applicationNode({ id: 'a', clientId: 'me', name: 'VS Code', scopes: [] }, 'me'));
    assert.match(self.detail, /signed out of Lenses/);
  });
});
