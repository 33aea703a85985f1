/**
 * Finds the JSON-RPC answer to one request in the HTTP response that carries it, without
 * changing what the client receives: a JSON body is read from a clone, an SSE stream is
 * passed through frame by frame and watched for the answer (notifications come before it).
 * Plain code, no OpenTelemetry: the span that waits for the answer is the caller's.
 */

type RequestId = string | number;

/**
 * Calls `answered` once: with the JSON-RPC answer to request `id` when `response` carries
 * it, else with `undefined` (an empty body, a stream that ended or was cancelled first).
 * Returns the response to send on: `response` itself, or for SSE a copy whose body is
 * the same bytes read through the watcher.
 */
export function watchAnswer(response: Response, id: RequestId, answered: (answer: object | undefined) => void): Response {
  let called = false;
  const once = (answer: object | undefined) => {
    if (called) return;
    called = true;
    answered(answer);
  };
  const mediaType = response.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
  if (response.body === null || (mediaType !== 'application/json' && mediaType !== 'text/event-stream')) {
    once(undefined);
    return response;
  }
  if (mediaType === 'application/json') {
    response
      .clone()
      .json()
      .then(
        (body: unknown) => once(answerIn(Array.isArray(body) ? body : [body], id)),
        () => once(undefined),
      );
    return response;
  }
  return new Response(watchedStream(response.body, id, once), { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The same bytes as `body`; each complete SSE event is looked at until the answer has passed. */
function watchedStream(body: ReadableStream<Uint8Array>, id: RequestId, answered: (answer: object | undefined) => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  let found = false;
  const look = (chunk: Uint8Array) => {
    pending += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
    let end = pending.indexOf('\n\n');
    while (end >= 0 && !found) {
      const answer = answerIn(eventData(pending.slice(0, end)), id);
      pending = pending.slice(end + 2);
      if (answer) {
        found = true;
        pending = '';
        answered(answer);
      }
      end = pending.indexOf('\n\n');
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          answered(undefined);
          controller.close();
          return;
        }
        if (!found) look(value);
        controller.enqueue(value);
      } catch (error) {
        answered(undefined);
        controller.error(error);
      }
    },
    cancel(reason) {
      answered(undefined);
      return reader.cancel(reason);
    },
  });
}

/** The JSON-RPC messages of one SSE event (its `data:` lines joined); none for comments or bad JSON. */
function eventData(event: string): unknown[] {
  const data = event
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
  if (data.length === 0) return [];
  try {
    const message: unknown = JSON.parse(data.join('\n'));
    return Array.isArray(message) ? message : [message];
  } catch {
    return [];
  }
}

/** The result or error with this id among `messages`, if any. */
function answerIn(messages: unknown[], id: RequestId): object | undefined {
  return messages.find(
    (message): message is object =>
      typeof message === 'object' && message !== null && 'id' in message && message.id === id && ('result' in message || 'error' in message),
  );
}
