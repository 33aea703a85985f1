import assert from 'node:assert/strict';
import { completeAuthorizationInBrowserless, startHq, type RunningHq } from '../../../hq-emulator/testing';
import { LensesOAuthClient, SESSIONS_KEY, type OAuthSession, type SecretStore } from '../../../src/oauth';

/** Tokens that live 5 s: with the default 60 s margin every validSession() refreshes. */
const TOKEN_TTL_SECONDS = 5;
const ROUNDS = 40;

/**
 * One SecretStorage shared by two windows, whose reads and writes take a few milliseconds
 * each, in an order fixed by a seed: the interleavings of real extension hosts, repeatable.
 */
class JitterySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  private seed = 7;

  async get(key: string): Promise<string | undefined> {
    await this.jitter();
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    await this.jitter();
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    await this.jitter();
    this.values.delete(key);
  }
  stored(id: string): OAuthSession | undefined {
    return (JSON.parse(this.values.get(SESSIONS_KEY) ?? '[]') as OAuthSession[]).find((session) => session.id === id);
  }
  private jitter(): Promise<void> {
    this.seed = (this.seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return new Promise((resolve) => setTimeout(resolve, this.seed % 4));
  }
}

describe('OAuth client: two windows writing the session store at once, against the HQ emulator', function () {
  this.timeout(60_000);
  let hq: RunningHq;
  before(async () => {
    hq = await startHq({ port: 0, tokenTtlSeconds: TOKEN_TTL_SECONDS });
  });
  after(async () => {
    await hq.close();
  });

  it('CL-17 racing refreshes and sign-ins over many rounds: the stored refresh token is always the newest, the grant stays active', async () => {
    const secrets = new JitterySecretStore();
    const openBrowser = async (url: string) => {
      void completeAuthorizationInBrowserless(url, { username: 'admin', password: 'admin', tick: ['read'], deliver: true }).catch(() => undefined);
      return true;
    };
    const window = () => new LensesOAuthClient({ secrets, openBrowser, storeVerifyMs: 15, refreshLease: { settleMs: 15 } });
    const [first, second] = [window(), window()];
    const mine = await first.signIn({ hqUrl: hq.url, scopes: ['read'], timeoutMs: 10_000 });
    const theirs = await second.signIn({ hqUrl: hq.url, scopes: ['read'], timeoutMs: 10_000 });

    let newest = mine;
    for (let round = 0; round < ROUNDS; round++) {
      // Window 1 renews its session while window 2 renews another one, or signs in again.
      const other = round % 10 === 9 ? second.signIn({ hqUrl: hq.url, scopes: ['read'], timeoutMs: 10_000 }) : second.validSession(theirs.id);
      const [renewed] = await Promise.all([first.validSession(mine.id), other]);
      assert.notEqual(renewed.refreshToken, newest.refreshToken, `round ${round}: the refresh token rotated`);
      newest = renewed;
      assert.equal(secrets.stored(mine.id)?.refreshToken, newest.refreshToken, `round ${round}: the stored refresh token is the newest`);
    }
    assert.equal((await hq.introspect(newest.accessToken)).active, true, 'the grant was never revoked for refresh-token reuse');
    const after = await second.validSession(mine.id);
    assert.equal((await hq.introspect(after.accessToken)).active, true, 'the other window can still renew it');
  });
});
