import assert from 'node:assert/strict';
import { completeAuthorizationInBrowserless, postForm, startHq, type RunningHq } from '../../../hq-emulator/testing';
import { LensesOAuthClient, OAuthError, SESSIONS_KEY, type LensesOAuthClientOptions, type OAuthErrorCode } from '../../../src/oauth';
import type { Scope } from '../../../src/scopes';
import { MemorySecretStore } from '../../unit/oauth/fakes';
import { RecordingLogger } from '../../support/recordingLogger';

const HOUR = 3600_000;

function isCode(code: OAuthErrorCode) {
  return (error: unknown) => error instanceof OAuthError && error.code === code;
}

/** A user in a browser (the emulator's browserless helper), opened the way VS Code opens one. */
function browser(tick: Scope[], options: { deny?: boolean; username?: string } = {}) {
  const urls: string[] = [];
  const done: Promise<unknown>[] = [];
  const openBrowser = async (url: string) => {
    urls.push(url);
    const username = options.username ?? 'admin';
    done.push(completeAuthorizationInBrowserless(url, { username, password: username, tick, deny: options.deny, deliver: true }).catch((e: unknown) => e));
    return true;
  };
  return { openBrowser, urls, settled: () => Promise.all(done) };
}

/** Everything a client talked to HQ with, for CL-14. */
function recordingFetch(): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    fetch: (input, init) => {
      urls.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    },
  };
}

describe('OAuth client against the HQ emulator', function () {
  this.timeout(15_000);
  let hq: RunningHq;
  before(async () => {
    hq = await startHq({ port: 0 });
  });
  after(async () => {
    await hq.close();
  });

  function newClient(tick: Scope[], extra: Partial<LensesOAuthClientOptions> = {}) {
    const secrets = new MemorySecretStore();
    const logger = new RecordingLogger();
    const clock = { offset: 0 };
    const user = browser(tick);
    const client = new LensesOAuthClient({ secrets, logger, openBrowser: user.openBrowser, now: () => Date.now() + clock.offset, ...extra });
    return { client, secrets, logger, clock, user };
  }

  it('signs in with the whole flow: DCR, consent over HTTP, exchange, introspected account', async () => {
    const { client, secrets, user } = newClient(['read', 'write', 'delete']);
    const session = await client.signIn({ hqUrl: hq.url, scopes: ['read', 'write', 'delete'], timeoutMs: 5000 });
    await user.settled();
    assert.deepEqual(session.scopes, ['read', 'write', 'delete']);
    assert.deepEqual(session.account, { id: 'admin', label: 'admin' });
    assert.equal(session.issuer, hq.url);
    assert.equal(session.resource, hq.url);
    const info = await hq.introspect(session.accessToken);
    assert.equal(info.active, true);
    assert.equal(info.client_id, session.clientId);
    assert.deepEqual(await client.sessions(), [session]);
    assert.ok(secrets.values.has(`lenses.oauth.client/${hq.url}`));
  });

  it('CL-09 partial consent: the session holds only the ticked scopes', async () => {
    const { client } = newClient(['read']);
    const session = await client.signIn({ hqUrl: hq.url, scopes: ['read', 'write', 'delete'], timeoutMs: 5000 });
    assert.deepEqual(session.scopes, ['read']);
    assert.equal((await hq.introspect(session.accessToken)).scope, 'read');
  });

  it('refreshes ahead of expiry with rotation; the old refresh token is spent', async () => {
    const { client, clock } = newClient(['read', 'write']);
    const first = await client.signIn({ hqUrl: hq.url, scopes: ['read', 'write'], timeoutMs: 5000 });
    clock.offset = HOUR;
    const refreshed = await client.validSession(first.id);
    assert.notEqual(refreshed.accessToken, first.accessToken);
    assert.ok(refreshed.refreshToken && refreshed.refreshToken !== first.refreshToken);
    assert.deepEqual(refreshed.scopes, ['read', 'write']);
    assert.equal((await hq.introspect(refreshed.accessToken)).active, true);
    const reuse = await postForm(`${hq.url}/oauth2/token`, { grant_type: 'refresh_token', refresh_token: first.refreshToken ?? '', client_id: first.clientId });
    assert.equal(reuse.body.error, 'invalid_grant');
  });

  it('CL-10 two refreshes at once send one refresh request and store the rotated token once', async () => {
    const recorded = recordingFetch();
    const { client, clock, secrets } = newClient(['read'], { fetch: recorded.fetch });
    const first = await client.signIn({ hqUrl: hq.url, scopes: ['read'], timeoutMs: 5000 });
    clock.offset = HOUR;
    const tokenCallsBefore = recorded.urls.filter((u) => u.endsWith('/oauth2/token')).length;
    const writesBefore = secrets.writes.get(SESSIONS_KEY) ?? 0;
    const [a, b] = await Promise.all([client.validSession(first.id), client.validSession(first.id)]);
    assert.equal(a.accessToken, b.accessToken);
    assert.equal(recorded.urls.filter((u) => u.endsWith('/oauth2/token')).length - tokenCallsBefore, 1);
    assert.equal((secrets.writes.get(SESSIONS_KEY) ?? 0) - writesBefore, 1);
    assert.equal((await client.sessions())[0].refreshToken, a.refreshToken);
  });

  it('CL-11 a refresh token rotated elsewhere ends the session (invalid_grant), no loop', async () => {
    const { client, clock } = newClient(['read']);
    const session = await client.signIn({ hqUrl: hq.url, scopes: ['read'], timeoutMs: 5000 });
    const elsewhere = await postForm(`${hq.url}/oauth2/token`, {
      grant_type: 'refresh_token',
      refresh_token: session.refreshToken ?? '',
      client_id: session.clientId,
    });
    assert.equal(elsewhere.status, 200);
    clock.offset = HOUR;
    await assert.rejects(client.validSession(session.id), isCode('session_expired'));
    assert.deepEqual(await client.sessions(), []);
    await assert.rejects(client.validSession(session.id), isCode('session_expired'));
  });

  it('CL-12 sign-out revokes at HQ (introspection says inactive) and removes the session from the store', async () => {
    const { client, secrets } = newClient(['read', 'write']);
    const session = await client.signIn({ hqUrl: hq.url, scopes: ['read', 'write'], timeoutMs: 5000 });
    await client.signOut(session.id);
    assert.equal((await hq.introspect(session.accessToken)).active, false);
    const refresh = await postForm(`${hq.url}/oauth2/token`, {
      grant_type: 'refresh_token',
      refresh_token: session.refreshToken ?? '',
      client_id: session.clientId,
    });
    assert.equal(refresh.body.error, 'invalid_grant');
    assert.deepEqual(await client.sessions(), []);
    assert.equal(secrets.values.has(SESSIONS_KEY), false);
  });

  it('CL-05 pressing Deny ends sign-in as cancelled, one browser round, no session', async () => {
    const secrets = new MemorySecretStore();
    const user = browser(['read'], { deny: true });
    const client = new LensesOAuthClient({ secrets, openBrowser: user.openBrowser });
    await assert.rejects(client.signIn({ hqUrl: hq.url, scopes: ['read'], timeoutMs: 5000 }), isCode('access_denied'));
    assert.equal(user.urls.length, 1);
    assert.deepEqual(await client.sessions(), []);
  });

  it('registers again when HQ no longer knows the cached client', async () => {
    const { client, secrets, user } = newClient(['read']);
    secrets.values.set(`lenses.oauth.client/${hq.url}`, JSON.stringify({ clientId: 'client-hq-forgot', redirectUris: ['http://127.0.0.1/callback'] }));
    const session = await client.signIn({ hqUrl: hq.url, scopes: ['read'], timeoutMs: 5000 });
    assert.notEqual(session.clientId, 'client-hq-forgot');
    assert.equal(user.urls.length, 1);
    assert.equal((JSON.parse(secrets.values.get(`lenses.oauth.client/${hq.url}`) ?? '{}') as { clientId?: string }).clientId, session.clientId);
  });

  it('CL-14 no token or refresh token in any log line, error, URL or store key during a full flow', async () => {
    const recorded = recordingFetch();
    const { client, logger, clock, secrets } = newClient(['read', 'write'], { fetch: recorded.fetch });
    const first = await client.signIn({ hqUrl: hq.url, scopes: ['read', 'write'], timeoutMs: 5000 });
    clock.offset = HOUR;
    const second = await client.validSession(first.id);
    const errors: string[] = [];
    await postForm(`${hq.url}/oauth2/token`, { grant_type: 'refresh_token', refresh_token: second.refreshToken ?? '', client_id: second.clientId });
    clock.offset = 2 * HOUR;
    await client
      .validSession(first.id)
      .catch((error: unknown) => errors.push(error instanceof OAuthError ? `${error.message} ${error.detail ?? ''} ${error.stack ?? ''}` : String(error)));
    const third = await client.signIn({ hqUrl: hq.url, scopes: ['read'], timeoutMs: 5000 });
    await client.signOut(third.id);
    assert.ok(errors.length === 1 && logger.lines.length > 5);
    const secretsSeen = [first, second, third].flatMap((s) => [s.accessToken, s.refreshToken ?? '']).filter(Boolean);
    const surfaces = [...logger.lines, ...errors, ...recorded.urls, ...secrets.values.keys()];
    for (const secret of secretsSeen) {
      for (const surface of surfaces) assert.ok(!surface.includes(secret), `a token leaked into: ${surface.slice(0, 80)}`);
    }
    assert.ok(logger.lines.some((l) => l.includes('token ') && /[0-9a-f]{8}/.test(l)));
  });

  /** A browser that completes consent at HQ, then tampers with the redirect before delivering it. */
  function tamperingBrowser(tamper: (params: URLSearchParams) => void) {
    const delivered: number[] = [];
    const done: Promise<void>[] = [];
    const openBrowser = async (url: string) => {
      done.push(
        completeAuthorizationInBrowserless(url, { username: 'admin', password: 'admin', tick: ['read'] }).then(async (redirect) => {
          tamper(redirect.searchParams);
          delivered.push((await fetch(redirect)).status);
        }),
      );
      return true;
    };
    return { openBrowser, delivered, settled: () => Promise.all(done) };
  }

  it('CL-01 a real HQ callback with a forged state is refused: failure page, no token request, the flow fails at its timeout', async () => {
    const recorded = recordingFetch();
    const user = tamperingBrowser((params) => params.set('state', 'forged-state'));
    const client = new LensesOAuthClient({ secrets: new MemorySecretStore(), fetch: recorded.fetch, openBrowser: user.openBrowser });
    await assert.rejects(client.signIn({ hqUrl: hq.url, scopes: ['read'], timeoutMs: 800 }), isCode('state_mismatch'));
    assert.equal(recorded.urls.filter((u) => u.endsWith('/oauth2/token')).length, 0);
    await user.settled();
    assert.deepEqual(user.delivered, [400]);
  });

  it('CL-18 a stray callback with a wrong state while a real HQ sign-in waits is ignored; the real one signs in', async () => {
    const pages: number[] = [];
    const openBrowser = async (url: string) => {
      const redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
      // Someone else's page hits the listener first, with a state of their own.
      pages.push((await fetch(`${redirectUri}?code=attacker-code&state=attacker-state`)).status);
      void completeAuthorizationInBrowserless(url, { username: 'admin', password: 'admin', tick: ['read'], deliver: true }).catch(() => undefined);
      return true;
    };
    const client = new LensesOAuthClient({ secrets: new MemorySecretStore(), openBrowser });
    const session = await client.signIn({ hqUrl: hq.url, scopes: ['read'], timeoutMs: 5000 });
    assert.deepEqual(pages, [400]);
    assert.equal((await hq.introspect(session.accessToken)).active, true);
  });

  it('CL-02 a real HQ callback with another issuer in iss (mix-up) fails', async () => {
    const user = tamperingBrowser((params) => params.set('iss', 'http://127.0.0.1:1'));
    const client = new LensesOAuthClient({ secrets: new MemorySecretStore(), openBrowser: user.openBrowser });
    await assert.rejects(client.signIn({ hqUrl: hq.url, scopes: ['read'], timeoutMs: 5000 }), isCode('iss_mismatch'));
  });

  it('CL-03 HQ reached under another name than its issuer fails discovery', async () => {
    const user = browser(['read']);
    const client = new LensesOAuthClient({ secrets: new MemorySecretStore(), openBrowser: user.openBrowser });
    await assert.rejects(client.signIn({ hqUrl: hq.url.replace('127.0.0.1', 'localhost'), scopes: ['read'] }), isCode('issuer_mismatch'));
    assert.equal(user.urls.length, 0);
  });

  it('CL-15 an HQ that is down fails sign-in quickly with unreachable', async () => {
    const down = await startHq({ port: 0 });
    const url = down.url;
    await down.close();
    const client = new LensesOAuthClient({ secrets: new MemorySecretStore(), openBrowser: async () => true });
    const started = Date.now();
    await assert.rejects(client.signIn({ hqUrl: url, scopes: ['read'] }), isCode('unreachable'));
    assert.ok(Date.now() - started < 5000);
  });
});

describe('OAuth client against an HQ with DCR off', function () {
  this.timeout(15_000);
  let hq: RunningHq;
  before(async () => {
    hq = await startHq({
      port: 0,
      dcr: false,
      preRegisteredClients: [{ client_id: 'lenses-vscode', client_name: 'Lenses MCP for VS Code', redirect_uris: ['http://127.0.0.1/callback'] }],
    });
  });
  after(async () => {
    await hq.close();
  });

  it('says to set lenses.oauth.clientId when no client ID is configured', async () => {
    const user = browser(['read']);
    const client = new LensesOAuthClient({ secrets: new MemorySecretStore(), openBrowser: user.openBrowser });
    await assert.rejects(
      client.signIn({ hqUrl: hq.url, scopes: ['read'] }),
      (error: unknown) => isCode('dcr_unavailable')(error) && /lenses\.oauth\.clientId/.test((error as Error).message),
    );
    assert.equal(user.urls.length, 0);
  });

  it('signs in with the configured client ID', async () => {
    const user = browser(['read', 'write']);
    const client = new LensesOAuthClient({ secrets: new MemorySecretStore(), openBrowser: user.openBrowser, clientId: 'lenses-vscode' });
    const session = await client.signIn({ hqUrl: hq.url, scopes: ['read', 'write'], timeoutMs: 5000 });
    assert.equal(session.clientId, 'lenses-vscode');
    assert.deepEqual(session.scopes, ['read', 'write']);
    await client.signOut(session.id);
    assert.equal((await hq.introspect(session.accessToken)).active, false);
  });
});
