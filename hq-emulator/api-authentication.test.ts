import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { obtainTokens, startHq, type RunningHq } from './testing/index';

/** How the emulator's Lenses API sees OAuth tokens and the API key (the routes are the API room's). */
describe('HQ emulator: who may call the Lenses API', () => {
  let hq: RunningHq;
  before(async () => {
    hq = await startHq({ port: 0, apiKey: 'api-authentication-key' });
  });
  after(async () => {
    await hq.close();
  });

  const environments = (token: string, init: RequestInit = {}) =>
    fetch(`${hq.url}/api/v1/environments`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
    });
  const create = (token: string, name: string) => environments(token, { method: 'POST', body: JSON.stringify({ name, tier: 'development' }) });

  it('a read-only OAuth token may read but not write', async () => {
    const tokens = await obtainTokens(hq, { scopes: ['read'] });
    assert.equal((await environments(tokens.accessToken)).status, 200);
    assert.equal((await create(tokens.accessToken, 'read-only-env')).status, 403);
  });

  it('an OAuth token issued for another resource (the MCP server) is accepted as forwarded', async () => {
    const tokens = await obtainTokens(hq, { scopes: ['read', 'write'], resource: 'http://127.0.0.1:8000/mcp' });
    assert.equal((await create(tokens.accessToken, 'forwarded-env')).status, 201);
  });

  it('the API key has every scope', async () => {
    assert.equal((await create(hq.apiKey, 'api-key-env')).status, 201);
  });

  it('a revoked token, a refresh token and a wrong key are refused with 401', async () => {
    const tokens = await obtainTokens(hq, { scopes: ['read'] });
    await fetch(`${hq.url}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.accessToken, client_id: tokens.clientId }),
    });
    for (const token of [tokens.accessToken, tokens.refreshToken ?? '', 'api-authentication-kez']) {
      assert.equal((await environments(token)).status, 401);
    }
  });

  it('passes the SQL WebSocket handshake to the API with the bearer checked', async () => {
    const tokens = await obtainTokens(hq, { scopes: ['read'] });
    const url = `${hq.url.replace('http', 'ws')}/api/v1/environments/dev/proxy/api/ws/v2/sql/execute`;
    const opened = await new Promise<boolean>((resolve) => {
      const socket = new WebSocket(url, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
      socket.once('open', () => {
        socket.close();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    assert.equal(opened, true);
    const refused = await new Promise<number | undefined>((resolve) => {
      const socket = new WebSocket(url, { headers: { authorization: 'Bearer nope' } });
      socket.once('unexpected-response', (_request, response) => {
        resolve(response.statusCode);
        socket.terminate();
      });
      socket.once('open', () => {
        socket.close();
        resolve(undefined);
      });
      socket.once('error', () => resolve(undefined));
    });
    assert.equal(refused, 401);
  });

  it('closes an upgrade for a path nobody serves', async () => {
    const failed = await new Promise<boolean>((resolve) => {
      const socket = new WebSocket(`${hq.url.replace('http', 'ws')}/nowhere`);
      socket.once('open', () => {
        socket.close();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    assert.equal(failed, true);
  });
});
