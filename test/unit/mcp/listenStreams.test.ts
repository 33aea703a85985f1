import assert from 'node:assert/strict';
import { ListenStreams, noLongerValid, type ListenLease } from '../../../src/mcp/http/listenStreams';

/** An SSE response whose body stays open until the test ends it. */
function sseResponse(): { response: Response; cancelled: Promise<void> } {
  let cancelled!: () => void;
  const gone = new Promise<void>((resolve) => (cancelled = resolve));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('event: message\ndata: {"jsonrpc":"2.0","method":"notifications/subscriptions/acknowledged"}\n\n'));
    },
    cancel() {
      cancelled();
    },
  });
  return { response: new Response(body, { headers: { 'Content-Type': 'text/event-stream' } }), cancelled: gone };
}

const lease = (value: ListenLease | object): ListenLease => {
  assert.ok('watch' in value, JSON.stringify(value));
  return value;
};

describe('RS-28 listen stream credential checks', () => {
  it('RS-28 only a refusal of the credential ends a stream: 401 or a sign-out, not an unreachable HQ', () => {
    assert.equal(noLongerValid({ kind: 'rejected', status: 401, message: 'inactive' }), true);
    assert.equal(noLongerValid({ kind: 'signed-out', scopes: new Set(), message: 'sign in' }), true);
    assert.equal(noLongerValid({ kind: 'rejected', status: 503, message: 'HQ unreachable' }), false);
    assert.equal(noLongerValid({ kind: 'signed-out', reason: 'unavailable', scopes: new Set(), message: 'HQ unreachable' }), false);
    assert.equal(noLongerValid({ kind: 'granted', token: 't', scopes: new Set() }), false);
  });

  it('RS-28 a check that fails keeps the stream; one that says "no longer valid" ends it with the error and gives the place back', async () => {
    const streams = new ListenStreams({ maxStreams: 10, maxStreamsPerCredential: 1, recheckMs: 60_000 });
    let answer: () => Promise<boolean> = () => Promise.reject(new Error('HQ unreachable'));
    const sse = sseResponse();
    const watched = await lease(streams.admit('alice', 7, () => answer())).watch(() => Promise.resolve(sse.response));
    const text = watched.text();
    await streams.recheck();
    assert.equal(streams.size, 1, 'kept');
    answer = () => Promise.resolve(false);
    await streams.recheck();
    assert.equal(streams.size, 0);
    const received = await text;
    assert.match(received, /notifications\/subscriptions\/acknowledged/);
    assert.match(
      received,
      /data: \{"jsonrpc":"2.0","id":7,"error":\{"code":-32603,"message":"The credential this subscription was opened with is no longer valid/,
    );
    await sse.cancelled;
    lease(streams.admit('alice', 8, () => Promise.resolve(true)));
  });

  it('RS-28 a refusal served in-band, or a failure, gives the place back at once', async () => {
    const streams = new ListenStreams({ maxStreams: 10, maxStreamsPerCredential: 1, recheckMs: 60_000 });
    await lease(streams.admit('alice', 1, () => Promise.resolve(true))).watch(() => Promise.resolve(Response.json({ jsonrpc: '2.0', id: 1, error: {} })));
    assert.equal(streams.size, 0);
    await assert.rejects(lease(streams.admit('alice', 2, () => Promise.resolve(true))).watch(() => Promise.reject(new Error('boom'))));
    assert.equal(streams.size, 0);
  });
});
