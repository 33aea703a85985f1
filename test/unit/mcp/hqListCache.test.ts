import assert from 'node:assert/strict';
import { continuesPaging, HqListCache } from '../../../src/mcp/hqListCache';

const HQ = 'https://hq.example';
const TOPICS = `${HQ}/api/v1/environments/dev/proxy/api/topics`;

interface Sent {
  method: string;
  url: string;
  authorization: string | null;
}

/** A fake HQ: records what reaches it and answers each call with a fresh body naming the call. */
function recordingHq(answer: (sent: Sent, index: number) => { status?: number; body: string } = (sent, index) => ({ body: `[${index}]` })) {
  const sent: Sent[] = [];
  const fetchImpl: typeof fetch = (input, init) => {
    const one = {
      method: init?.method ?? 'GET',
      url: input instanceof Request ? input.url : input.toString(),
      authorization: new Headers(init?.headers).get('authorization'),
    };
    sent.push(one);
    const { status = 200, body } = answer(one, sent.length);
    return Promise.resolve(new Response(body, { status, headers: { 'content-type': 'application/json' } }));
  };
  return { sent, fetchImpl };
}

const get = (token: string) => ({ method: 'GET', headers: { Authorization: `Bearer ${token}` } });

describe('HqListCache (HQ list answers reused while paging)', () => {
  it('answers the same list GET from the cache while it is used within the time to live, then asks HQ again', async () => {
    let now = 1_000;
    const hq = recordingHq();
    const fetchThrough = new HqListCache({ ttlMs: 5_000, maxAgeMs: 30_000, now: () => now }).fetchThrough(hq.fetchImpl, { reuse: true });
    assert.equal(await (await fetchThrough(TOPICS, get('a'))).text(), '[1]');
    now += 4_999;
    const again = await fetchThrough(TOPICS, get('a'));
    assert.equal(await again.text(), '[1]');
    assert.equal(again.headers.get('content-type'), 'application/json');
    now += 4_999; // 9,998 ms after HQ sent it, but 4,999 ms after its last use
    assert.equal(await (await fetchThrough(TOPICS, get('a'))).text(), '[1]');
    assert.equal(hq.sent.length, 1);
    now += 5_000;
    assert.equal(await (await fetchThrough(TOPICS, get('a'))).text(), '[2]');
    assert.equal(hq.sent.length, 2);
  });

  it('asks HQ again once the answer is maxAgeMs old, however often it was used', async () => {
    let now = 0;
    const hq = recordingHq();
    const fetchThrough = new HqListCache({ ttlMs: 5_000, maxAgeMs: 30_000, now: () => now }).fetchThrough(hq.fetchImpl, { reuse: true });
    await fetchThrough(TOPICS, get('a'));
    for (; now < 29_000; now += 1_000) assert.equal(await (await fetchThrough(TOPICS, get('a'))).text(), '[1]');
    now = 30_000;
    assert.equal(await (await fetchThrough(TOPICS, get('a'))).text(), '[2]');
  });

  it('without reuse (a first page, a filter, any new question) asks HQ every time and refreshes what the next pages reuse', async () => {
    const hq = recordingHq();
    const cache = new HqListCache();
    const askHq = cache.fetchThrough(hq.fetchImpl, { reuse: false });
    const nextPage = cache.fetchThrough(hq.fetchImpl, { reuse: true });
    assert.equal(await (await askHq(TOPICS, get('a'))).text(), '[1]');
    assert.equal(await (await askHq(TOPICS, get('a'))).text(), '[2]');
    assert.equal(await (await nextPage(TOPICS, get('a'))).text(), '[2]');
    assert.equal(hq.sent.length, 2);
  });

  it('only a call with an offset past the first item continues a walk', () => {
    assert.equal(continuesPaging({ environment: 'dev', offset: 110 }), true);
    for (const args of [undefined, {}, { offset: 0 }, { offset: '110' }, { page: 2 }, { filter: 'orders*' }]) assert.equal(continuesPaging(args), false);
  });

  it('keys by the query too: another query is another fetch', async () => {
    const hq = recordingHq();
    const fetchThrough = new HqListCache().fetchThrough(hq.fetchImpl, { reuse: true });
    await fetchThrough(`${TOPICS}?details=true`, get('a'));
    await fetchThrough(`${TOPICS}?details=false`, get('a'));
    await fetchThrough(`${TOPICS}?details=true`, get('a'));
    assert.deepEqual(
      hq.sent.map((s) => s.url),
      [`${TOPICS}?details=true`, `${TOPICS}?details=false`],
    );
  });

  it('never hands one credential the answer fetched with another', async () => {
    const hq = recordingHq((sent) => ({ body: JSON.stringify(sent.authorization) }));
    const fetchThrough = new HqListCache().fetchThrough(hq.fetchImpl, { reuse: true });
    assert.equal(await (await fetchThrough(TOPICS, get('alice'))).text(), '"Bearer alice"');
    assert.equal(await (await fetchThrough(TOPICS, get('bob'))).text(), '"Bearer bob"');
    assert.equal(await (await fetchThrough(TOPICS, get('alice'))).text(), '"Bearer alice"');
    assert.equal(hq.sent.length, 2);
  });

  it('sends single-item reads, unauthenticated calls and answers other than 200 to HQ every time', async () => {
    const hq = recordingHq((sent, index) => ({ status: sent.url.includes('/gone/') ? 404 : 200, body: `[${index}]` }));
    const fetchThrough = new HqListCache().fetchThrough(hq.fetchImpl, { reuse: true });
    for (let i = 0; i < 2; i++) {
      await fetchThrough(`${TOPICS}/orders`, get('a'));
      await fetchThrough(TOPICS, { method: 'GET' });
      await fetchThrough(`${HQ}/api/v1/environments/gone/proxy/api/topics`, get('a'));
    }
    assert.equal(hq.sent.length, 6);
  });

  it('a write goes to HQ and drops the lists of its environment (for every credential) and HQ-wide lists, not other environments', async () => {
    const hq = recordingHq();
    const fetchThrough = new HqListCache().fetchThrough(hq.fetchImpl, { reuse: true });
    const prodTopics = `${HQ}/api/v1/environments/prod/proxy/api/topics`;
    const datasets = `${HQ}/api/v1/datasets`;
    for (const url of [TOPICS, prodTopics, datasets]) await fetchThrough(url, get('a'));
    await fetchThrough(TOPICS, get('b'));
    assert.equal(hq.sent.length, 4);

    await fetchThrough(`${HQ}/api/v1/environments/dev/proxy/api/v1/kafka/topic`, { ...get('a'), method: 'POST', body: '{}' });
    assert.equal(hq.sent.at(-1)?.method, 'POST');
    for (const url of [TOPICS, prodTopics, datasets]) await fetchThrough(url, get('a'));
    await fetchThrough(TOPICS, get('b'));
    assert.deepEqual(
      hq.sent.slice(5).map((s) => `${s.url} ${s.authorization}`),
      [`${TOPICS} Bearer a`, `${datasets} Bearer a`, `${TOPICS} Bearer b`],
    );
  });

  it('a write to HQ itself drops every list of that HQ', async () => {
    const hq = recordingHq();
    const fetchThrough = new HqListCache().fetchThrough(hq.fetchImpl, { reuse: true });
    await fetchThrough(TOPICS, get('a'));
    await fetchThrough(`${HQ}/api/v1/environments`, { ...get('a'), method: 'POST', body: '{}' });
    await fetchThrough(TOPICS, get('a'));
    assert.equal(hq.sent.length, 3);
  });

  it('holds at most maxBytes, dropping the least recently used answer first, and never an answer over half of it', async () => {
    const hq = recordingHq((sent) => ({ body: sent.url.includes('big') ? 'x'.repeat(600) : 'y'.repeat(400) }));
    const cache = new HqListCache({ maxBytes: 1_000 });
    const fetchThrough = cache.fetchThrough(hq.fetchImpl, { reuse: true });
    const envTopics = (env: string) => `${HQ}/api/v1/environments/${env}/proxy/api/topics`;
    await fetchThrough(envTopics('one'), get('a'));
    await fetchThrough(envTopics('two'), get('a'));
    assert.equal(cache.heldBytes, 800);
    await fetchThrough(envTopics('one'), get('a')); // now the most recently used
    await fetchThrough(envTopics('three'), get('a')); // pushes out "two"
    assert.equal(cache.heldBytes, 800);
    await fetchThrough(envTopics('one'), get('a'));
    await fetchThrough(envTopics('two'), get('a'));
    assert.deepEqual(
      hq.sent.map((s) => s.url),
      [envTopics('one'), envTopics('two'), envTopics('three'), envTopics('two')],
    );
    const big = await fetchThrough(envTopics('big'), get('a'));
    assert.equal((await big.text()).length, 600);
    assert.ok(cache.heldBytes <= 1_000);
    await fetchThrough(envTopics('big'), get('a'));
    assert.equal(hq.sent.filter((s) => s.url.includes('big')).length, 2);
  });

  it('RS-15 HQ answers 401 for a credential: nothing fetched with it is answered from the cache again', async () => {
    let revoked = false;
    const hq = recordingHq((sent, index) => ({ status: revoked && sent.authorization === 'Bearer alice' ? 401 : 200, body: `[${index}]` }));
    const fetchThrough = new HqListCache().fetchThrough(hq.fetchImpl, { reuse: true });
    const prodTopics = `${HQ}/api/v1/environments/prod/proxy/api/topics`;
    await fetchThrough(TOPICS, get('alice'));
    await fetchThrough(prodTopics, get('alice'));
    await fetchThrough(TOPICS, get('bob'));
    revoked = true;
    assert.equal((await fetchThrough(`${TOPICS}/orders`, get('alice'))).status, 401);
    assert.equal((await fetchThrough(prodTopics, get('alice'))).status, 401);
    assert.equal((await fetchThrough(TOPICS, get('alice'))).status, 401);
    assert.equal(await (await fetchThrough(TOPICS, get('bob'))).text(), '[3]');
    assert.equal(hq.sent.length, 6);
  });

  it('holds at most maxEntries answers', async () => {
    const hq = recordingHq();
    const fetchThrough = new HqListCache({ maxEntries: 2 }).fetchThrough(hq.fetchImpl, { reuse: true });
    for (const env of ['a', 'b', 'c', 'a']) await fetchThrough(`${HQ}/api/v1/environments/${env}/proxy/api/topics`, get('t'));
    assert.equal(hq.sent.length, 4);
  });
});
