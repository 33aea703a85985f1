import assert from 'node:assert/strict';
import { watchAnswer } from '../../../src/telemetry/exchangeAnswer';

/** Calls `watchAnswer` and resolves with what it reported, and the body the client gets. */
async function watch(response: Response, id: string | number = 7): Promise<{ answer: object | undefined; body: string }> {
  let reported: (answer: object | undefined) => void = () => {};
  const answer = new Promise<object | undefined>((resolve) => (reported = resolve));
  const passed = watchAnswer(response, id, (found) => reported(found));
  const body = await passed.text();
  return { answer: await answer, body };
}

function sse(frames: string[], chunkSize = 5): Response {
  const bytes = new TextEncoder().encode(frames.join(''));
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // Small chunks: an event split across reads must still be found.
      for (let at = 0; at < bytes.length; at += chunkSize) controller.enqueue(bytes.slice(at, at + chunkSize));
      controller.close();
    },
  });
  return new Response(stream, { headers: { 'Content-Type': 'text/event-stream' } });
}

const result = { jsonrpc: '2.0', id: 7, result: { content: [], isError: true } };
const progress = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } };

describe('watchAnswer (the JSON-RPC answer of a 2026-07-28 HTTP exchange)', () => {
  it('finds the answer in a JSON body and leaves the body the client reads as it was', async () => {
    const text = JSON.stringify(result);
    const { answer, body } = await watch(new Response(text, { headers: { 'Content-Type': 'application/json; charset=utf-8' } }));
    assert.deepEqual(answer, result);
    assert.equal(body, text);
  });

  it('finds the answer after notifications and keep-alive comments in an SSE stream split in small chunks, and passes every byte on', async () => {
    const frames = [': keepalive\n\n', `event: message\ndata: ${JSON.stringify(progress)}\n\n`, `event: message\r\ndata: ${JSON.stringify(result)}\r\n\r\n`];
    const { answer, body } = await watch(sse(frames));
    assert.deepEqual(answer, result);
    assert.equal(body, frames.join(''));
  });

  it('reports no answer for an answer to another id, an error with id null, an empty body or a stream that ends first', async () => {
    assert.equal((await watch(new Response(JSON.stringify({ ...result, id: 8 }), { headers: { 'Content-Type': 'application/json' } }))).answer, undefined);
    const nullId = { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Payload Too Large' } };
    assert.equal((await watch(new Response(JSON.stringify(nullId), { status: 413, headers: { 'Content-Type': 'application/json' } }))).answer, undefined);
    assert.equal((await watch(new Response(null, { status: 202 }))).answer, undefined);
    assert.equal((await watch(new Response('not json', { headers: { 'Content-Type': 'application/json' } }))).answer, undefined);
    assert.equal((await watch(sse([`event: message\ndata: ${JSON.stringify(progress)}\n\n`, 'event: message\ndata: {"jsonrpc":']))).answer, undefined);
  });

  it('reports no answer, once, when the client cancels the stream before the answer came', async () => {
    let calls = 0;
    let cancelled = false;
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`event: message\ndata: ${JSON.stringify(progress)}\n\n`));
      },
      cancel() {
        cancelled = true;
      },
    });
    const passed = watchAnswer(new Response(source, { headers: { 'Content-Type': 'text/event-stream' } }), 7, (answer) => {
      calls += 1;
      assert.equal(answer, undefined);
    });
    const reader = passed.body!.getReader();
    await reader.read();
    await reader.cancel();
    assert.equal(calls, 1);
    assert.ok(cancelled, 'the SDK stream is cancelled too, so the exchange ends');
  });
});
