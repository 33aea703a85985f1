import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { obtainTokens, postForm, startHq, type RunningHq } from './testing/index';

describe('HQ emulator: --data keeps state across a restart', () => {
  let directory: string;
  let hq: RunningHq | undefined;
  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'lenses-hq-'));
  });
  afterEach(async () => {
    await hq?.close();
    hq = undefined;
  });
  after(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps OAuth clients, grants, tokens and the Lenses API state', async () => {
    const dataFile = join(directory, 'hq.json');
    const apiKey = 'persistence-test-key';
    hq = await startHq({ port: 0, dataFile, apiKey });
    const port = new URL(hq.url).port;
    const tokens = await obtainTokens(hq, { username: 'alice', scopes: ['read', 'write'], clientName: 'Survivor' });
    const createdEnvironment = await fetch(`${hq.url}/api/v1/environments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'persisted-env', display_name: 'Persisted', tier: 'development' }),
    });
    assert.equal(createdEnvironment.status, 201);
    await hq.close();

    hq = await startHq({ port: Number(port), dataFile, apiKey });
    assert.equal((await hq.introspect(tokens.accessToken)).active, true, 'access token survives');
    const listed = await fetch(`${hq.url}/api/v0/users/me/oauth2/authorizations`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    const { items } = (await listed.json()) as { items: Array<{ app_client_id: string; app_name: string }> };
    assert.deepEqual(
      items.map((item) => item.app_name),
      ['Survivor'],
    );
    const refreshed = await postForm(`${hq.url}/oauth2/token`, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refreshToken ?? '',
      client_id: tokens.clientId,
    });
    assert.equal(refreshed.status, 200, 'refresh token and client survive');
    const again = await obtainTokens(hq, { clientId: tokens.clientId, scopes: ['read'] });
    assert.equal(again.scope, 'read', 'the registered client can sign in again');
    const environment = await fetch(`${hq.url}/api/v1/environments/persisted-env`, { headers: { authorization: `Bearer ${apiKey}` } });
    assert.equal(environment.status, 200, 'API state survives');
  });

  it('starts empty when the data file does not exist yet, and keeps a generated API key', async () => {
    const dataFile = join(directory, 'new.json');
    hq = await startHq({ port: 0, dataFile });
    assert.deepEqual(await hq.introspect('anything'), { active: false });
    const generated = hq.apiKey;
    await hq.close();
    hq = await startHq({ port: 0, dataFile });
    assert.equal(hq.apiKey, generated);
  });

  it('refuses a data file that is not emulator state, with one clear message', async () => {
    const { writeFileSync } = await import('node:fs');
    const dataFile = join(directory, 'broken.json');
    writeFileSync(dataFile, '{not json');
    await assert.rejects(startHq({ port: 0, dataFile }), /--data .*broken\.json is not valid JSON/);
  });
});
