import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listAuthorizations, revokeAuthorization } from '../../../src/lenses/connectedApps';
import { LensesApiError, LensesConnectionError, UnsafePathSegmentError } from '../../../src/lenses/errors';
import { applicationNode, applicationNodes, revokeConfirmation, UNNAMED_APPLICATION } from '../../../src/vscode/connectedApps';

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

  it('lists authorizations with the bearer token, tolerating absent fields', async () => {
    answer = {
      status: 200,
      body: JSON.stringify({
        items: [
          {
            authorization_id: 'a1',
            authorization_issued_at: '2026-11-01T10:00:00Z',
            client_id: 'c1',
            client_name: 'Claude',
            scopes: ['read'],
            registration_method: 'dcr',
          },
          { authorization_id: 'a2' },
          { client_name: 'no id: dropped' },
          { authorization_id: 7, scope: 'read write' },
        ],
      }),
    };
    const items = await listAuthorizations(baseUrl, 'tok');
    assert.deepEqual(seen[0], { method: 'GET', url: '/api/v0/users/me/oauth2/authorizations', authorization: 'Bearer tok' });
    assert.deepEqual(items, [
      {
        authorization_id: 'a1',
        authorization_issued_at: '2026-11-01T10:00:00Z',
        client_id: 'c1',
        client_name: 'Claude',
        scopes: ['read'],
        registration_method: 'dcr',
      },
      { authorization_id: 'a2' },
      { authorization_id: '7', scopes: ['read', 'write'] },
    ]);
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
      body: JSON.stringify({ type: 'about:blank', title: 'Forbidden', status: 403, detail: 'You cannot list grants', request_id: 'r1' }),
      type: 'application/problem+json',
    };
    await assert.rejects(listAuthorizations(baseUrl, 'tok'), (error: unknown) => {
      assert.ok(error instanceof LensesApiError);
      assert.equal(error.message, 'Lenses answered 403 Forbidden: You cannot list grants');
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
  it('labels by client name, then client id, then "Unnamed application"', () => {
    assert.equal(applicationNode({ authorization_id: 'a', client_name: 'Cursor', client_id: 'c' }, undefined).label, 'Cursor');
    assert.equal(applicationNode({ authorization_id: 'a', client_id: 'c' }, undefined).label, 'c');
    assert.equal(applicationNode({ authorization_id: 'a' }, undefined).label, UNNAMED_APPLICATION);
  });

  it('describes scopes and marks this VS Code', () => {
    const other = applicationNode({ authorization_id: 'a', client_id: 'other', scopes: ['read', 'write'], registration_method: 'dcr' }, 'mine');
    assert.equal(other.description, 'read, write');
    assert.equal(other.contextValue, 'lensesApplication');
    assert.equal(other.icon, 'plug');
    const self = applicationNode({ authorization_id: 'b', client_id: 'mine', client_name: 'Lenses MCP for VS Code', scopes: ['read'] }, 'mine');
    assert.equal(self.description, 'read · this VS Code');
    assert.equal(self.contextValue, 'lensesApplication.self');
    assert.equal(self.icon, 'vm');
    assert.equal(self.isSelf, true);
  });

  it('icons and tooltips follow the registration method', () => {
    const preRegistered = applicationNode(
      { authorization_id: 'a', client_id: 'ci', client_name: 'CI bot', registration_method: 'api', authorization_issued_at: '1764237600' },
      undefined,
    );
    assert.equal(preRegistered.icon, 'verified');
    assert.match(preRegistered.tooltip, /Client ID: `ci`/);
    assert.match(preRegistered.tooltip, /Registration: Pre-registered/);
    assert.match(preRegistered.tooltip, /Issued at: 2025-11-27 10:00:00 UTC/);
    const dcr = applicationNode({ authorization_id: 'a', registration_method: 'dcr' }, undefined);
    assert.match(dcr.tooltip, /Registration: Dynamic Client Registration/);
    assert.match(dcr.tooltip, /Client ID: `unknown`/);
    assert.match(dcr.tooltip, /Issued at: unknown/);
    assert.equal(dcr.description, 'no scopes listed');
  });

  it('escapes Markdown in application names', () => {
    const node = applicationNode({ authorization_id: 'a', client_name: '[click](http://evil)' }, undefined);
    assert.doesNotMatch(node.tooltip, /\[click\]\(http/);
  });

  it('puts this VS Code first, then sorts by name', () => {
    const nodes = applicationNodes(
      [
        { authorization_id: '1', client_name: 'b' },
        { authorization_id: '2', client_name: 'a' },
        { authorization_id: '3', client_id: 'mine', client_name: 'z' },
      ],
      'mine',
    );
    assert.deepEqual(
      nodes.map((n) => n.label),
      ['z', 'a', 'b'],
    );
  });

  it('the revoke confirmation names the app and its scopes, and warns about signing out for our own', () => {
    const other = revokeConfirmation(applicationNode({ authorization_id: 'a', client_name: 'Claude', scopes: ['read', 'write'] }, undefined));
    assert.equal(other.message, 'Revoke access for "Claude"?');
    assert.match(other.detail, /"Claude" will lose its read, write access/);
    const self = revokeConfirmation(applicationNode({ authorization_id: 'a', client_id: 'me', client_name: 'VS Code' }, 'me'));
    assert.match(self.detail, /signed out of Lenses/);
  });
});
