import type { SecretStore } from '../../../src/oauth';

/** An in-memory SecretStore that counts writes per key. */
export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  readonly writes = new Map<string, number>();

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

/** Recorded request of a FakeFetch. */
export interface RecordedRequest {
  method: string;
  url: URL;
  body: string;
  headers: Headers;
}

type Route = (request: RecordedRequest) => Response | Promise<Response>;

/**
 * Things a fake saw, in order (requests, opened URLs, loaded pages), that a test waits for
 * instead of sleeping: `nth(2)` resolves with the second once it has arrived.
 */
export class Arrivals<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<{ count: number; resolve: (item: T) => void }>();

  add(item: T): void {
    this.items.push(item);
    for (const waiter of this.waiters) {
      if (this.items.length < waiter.count) continue;
      this.waiters.delete(waiter);
      waiter.resolve(this.items[waiter.count - 1]);
    }
  }

  /** The `count`-th item (1-based) once it has arrived; rejects after `timeoutMs` saying how many came. */
  nth(count: number, what = 'item', timeoutMs = 5000): Promise<T> {
    if (this.items.length >= count) return Promise.resolve(this.items[count - 1]);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`expected ${what} #${count} within ${timeoutMs} ms; ${this.items.length} arrived`));
      }, timeoutMs);
      const waiter = {
        count,
        resolve: (item: T) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      this.waiters.add(waiter);
    });
  }
}

/** FakeFetches with expectations made during the current test; the root hook checks them after each test. */
const withExpectations = new Set<FakeFetch>();

/**
 * A fetch that answers from routes keyed by "METHOD path" and records every request.
 * An unknown route answers 404 so discovery fallbacks can be exercised.
 *
 * `on()` routes may go unused; `expect()` routes must be used (as often as given) before
 * the test ends, as oauth4webapi's mocks insist: `assertAllUsed()` checks it, and the
 * mocha root hook in test/support/fakeFetchHooks.ts calls it after every test.
 */
export class FakeFetch {
  readonly requests: RecordedRequest[] = [];
  /** The same requests, to wait for: `await fake.arrivals.nth(1)`. */
  readonly arrivals = new Arrivals<RecordedRequest>();
  private readonly routes = new Map<string, Route>();
  private readonly expected = new Map<string, number>();

  on(methodAndPath: string, route: Route): this {
    this.routes.set(methodAndPath, route);
    return this;
  }

  /** Like `on()`, and the test fails unless the route is requested at least `times` times. */
  expect(methodAndPath: string, route: Route, times = 1): this {
    this.expected.set(methodAndPath, times);
    withExpectations.add(this);
    return this.on(methodAndPath, route);
  }

  /** Throws naming every expected request that was not made (or not made often enough). */
  assertAllUsed(): void {
    withExpectations.delete(this);
    const unused = [...this.expected]
      .filter(([route, times]) => this.count(route) < times)
      .map(([route, times]) => `${route} (${this.count(route)} of ${times})`);
    if (unused.length > 0) throw new Error(`FakeFetch: expected requests not made: ${unused.join(', ')}`);
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input);
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? init.body : init?.body instanceof URLSearchParams ? init.body.toString() : '';
    const request: RecordedRequest = { method, url, body, headers: new Headers(init?.headers) };
    this.requests.push(request);
    this.arrivals.add(request);
    const signal = init?.signal ?? undefined;
    signal?.throwIfAborted();
    const route = this.routes.get(`${method} ${url.pathname}`);
    if (!route) return new Response('not found', { status: 404 });
    const answer = route(request);
    if (!signal) return answer;
    return new Promise<Response>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true });
      Promise.resolve(answer).then(resolve, reject);
    });
  };

  count(methodAndPath: string): number {
    return this.requests.filter((r) => `${r.method} ${r.url.pathname}` === methodAndPath).length;
  }
}

/** Checks and forgets every FakeFetch that got `expect()` routes since the last call (the root hook's job). */
export function assertEveryFakeFetchUsed(): void {
  const fakes = [...withExpectations];
  withExpectations.clear();
  const failures = fakes.flatMap((fake) => {
    try {
      fake.assertAllUsed();
      return [];
    } catch (error) {
      return [error instanceof Error ? error.message : String(error)];
    }
  });
  if (failures.length > 0) throw new Error(failures.join('\n'));
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted', 'AbortError');
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A fetch whose requests never get an answer until aborted (a hung HQ). */
export const hangingFetch: typeof fetch = (_input, init) =>
  new Promise<Response>((_resolve, reject) => {
    const signal = init?.signal;
    signal?.addEventListener('abort', () => reject(abortReason(signal)), { once: true });
  });

/** A hung HQ that tells when a request has reached it: `await hq.requests.nth(1)`. */
export function hungHq(): { fetch: typeof fetch; requests: Arrivals<string> } {
  const requests = new Arrivals<string>();
  const fetchThatHangs: typeof fetch = (input, init) => {
    requests.add(input instanceof Request ? input.url : input instanceof URL ? input.href : input);
    return hangingFetch(input, init);
  };
  return { fetch: fetchThatHangs, requests };
}

/**
 * A sleep for a fake clock: advances it by `ms` and yields to other tasks for a real
 * millisecond, so "waits" of seconds take no real time but other windows still run.
 */
export function fakeSleep(clock: { now: number }): (ms: number) => Promise<void> {
  return async (ms) => {
    clock.now += ms;
    await new Promise((resolve) => setTimeout(resolve, 1));
  };
}

/** A sleep that only yields (for clients on the real clock whose waits should not take real time). */
export const yieldingSleep = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));
