import assert from 'node:assert/strict';
import { Arrivals, assertEveryFakeFetchUsed, FakeFetch, json } from './fakes';

describe('FakeFetch (test double)', () => {
  it('fails naming an expected request that was never made, and one made too few times', async () => {
    const fake = new FakeFetch().expect('POST /oauth2/token', () => json({})).expect('POST /oauth2/revoke', () => json({}), 2);
    await fake.fetch('https://hq.example.com/oauth2/revoke', { method: 'POST' });
    assert.throws(() => fake.assertAllUsed(), /expected requests not made: POST \/oauth2\/token \(0 of 1\), POST \/oauth2\/revoke \(1 of 2\)/);
  });

  it('passes once every expected request was made; routes given with on() may stay unused', async () => {
    const fake = new FakeFetch().expect('GET /metadata', () => json({ ok: true })).on('POST /oauth2/register', () => json({}, 201));
    assert.equal((await fake.fetch('https://hq.example.com/metadata')).status, 200);
    fake.assertAllUsed();
  });

  it('the after-each check fails for a fake left with an unused expectation, then forgets it', () => {
    new FakeFetch().expect('POST /oauth2/introspect', () => json({ active: true }));
    assert.throws(() => assertEveryFakeFetchUsed(), /POST \/oauth2\/introspect \(0 of 1\)/);
    assertEveryFakeFetchUsed();
  });

  it('lets a test wait for a request instead of sleeping', async () => {
    const fake = new FakeFetch();
    const second = fake.arrivals.nth(2, 'the second request');
    await fake.fetch('https://hq.example.com/a');
    await fake.fetch('https://hq.example.com/b');
    assert.equal((await second).url.pathname, '/b');
  });

  it('says how many arrived when the awaited one does not come in time', async () => {
    const arrivals = new Arrivals<string>();
    arrivals.add('only one');
    await assert.rejects(arrivals.nth(2, 'callback', 10), /expected callback #2 within 10 ms; 1 arrived/);
  });
});
