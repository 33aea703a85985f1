import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callbackPage, type CallbackOutcome } from './pages';
import { abortReason } from '../errors';

/** The authorization response as it reached the listener; answer the browser with `respond`. */
export interface LoopbackCallback {
  url: URL;
  respond(outcome: CallbackOutcome): void;
}

/** A one-shot RFC 8252 listener on 127.0.0.1:<ephemeral>. */
export interface LoopbackListener {
  /** http://127.0.0.1:<port>/callback */
  redirectUri: string;
  /**
   * The first request on the callback path whose `state` is `expectedState`; rejects with the
   * signal's reason on abort. A callback with a wrong or missing `state` gets a 400 page and
   * the listener keeps waiting (CL-18).
   */
  waitForCallback(signal: AbortSignal, expectedState: string): Promise<LoopbackCallback>;
  /** Stops listening and answers a pending browser request with a failure page. */
  close(): Promise<void>;
}

export const CALLBACK_PATH = '/callback';

/** The page for a callback that does not belong to the sign-in in progress. */
export const IGNORED_CALLBACK_MESSAGE =
  'This sign-in response does not belong to the sign-in VS Code is waiting for (wrong or missing state), so it was ignored.';

/**
 * Starts a listener bound to 127.0.0.1 only (CL-07) that takes one callback: other
 * paths get 404 and are ignored, a callback whose `state` is not the expected one gets
 * a 400 page and is ignored (CL-18), the right callback closes the listener, so a second
 * one or one after the timeout finds nothing listening (CL-06).
 */
export async function startLoopbackListener(onIgnored: () => void = () => {}): Promise<LoopbackListener> {
  let deliver: ((callback: LoopbackCallback) => void) | undefined;
  let pending: ServerResponse | undefined;
  let taken = false;
  let expectedState: string | undefined;
  const arrived = new Promise<LoopbackCallback>((resolve) => {
    deliver = resolve;
  });

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || url.pathname !== CALLBACK_PATH || taken) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('Not found');
      return;
    }
    if (expectedState === undefined || url.searchParams.get('state') !== expectedState) {
      onIgnored();
      writePage(response, { ok: false, message: IGNORED_CALLBACK_MESSAGE });
      return;
    }
    taken = true;
    pending = response;
    server.close(); // one flow, one callback: stop accepting connections now
    deliver?.({ url: new URL(`${url.pathname}${url.search}`, redirectUri), respond: (outcome) => answer(outcome) });
  });

  function answer(outcome: CallbackOutcome): void {
    const response = pending;
    pending = undefined;
    if (!response || response.writableEnded) return;
    writePage(response, outcome);
  }

  function writePage(response: ServerResponse, outcome: CallbackOutcome): void {
    response
      .writeHead(outcome.ok ? 200 : 400, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        connection: 'close',
      })
      .end(callbackPage(outcome));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const redirectUri = `http://127.0.0.1:${port}${CALLBACK_PATH}`;

  let closed: Promise<void> | undefined;
  return {
    redirectUri,
    waitForCallback(signal: AbortSignal, state: string): Promise<LoopbackCallback> {
      if (signal.aborted) return Promise.reject(abortReason(signal));
      expectedState = state;
      return new Promise<LoopbackCallback>((resolve, reject) => {
        const onAbort = () => reject(abortReason(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        void arrived.then((callback) => {
          signal.removeEventListener('abort', onAbort);
          resolve(callback);
        });
      });
    },
    close(): Promise<void> {
      answer({ ok: false, message: 'The sign-in did not complete.' });
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        if (!server.listening) resolve();
      });
      return closed;
    },
  };
}
