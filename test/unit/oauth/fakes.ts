import type { Logger } from '../../../src/log';
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

/** A logger that keeps every line, for asserting the story and that no secret is in it. */
export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  trace(message: string): void { this.lines.push(`trace ${message}`); }
  debug(message: string): void { this.lines.push(`debug ${message}`); }
  info(message: string): void { this.lines.push(`info ${message}`); }
  warn(message: string): void { this.lines.push(`warn ${message}`); }
  error(message: string | Error): void { this.lines.push(`error ${message instanceof Error ? `${message.message} ${message.stack ?? ''}` : message}`); }
}

/** Recorded request of a FakeFetch. */
export interface RecordedRequest { method: string; url: URL; body: string; headers: Headers }

type Route = (request: RecordedRequest) => Response | Promise<Response>;

/**
 * A fetch that answers from routes keyed by "METHOD path" and records every request.
 * An unknown route answers 404 so discovery fallbacks can be exercised.
 */
export class FakeFetch {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, Route>();

  on(methodAndPath: string, route: Route): this {
    this.routes.set(methodAndPath, route);
    return this;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    const body = init?.body === undefined || init.body === null ? '' : String(init.body);
    const request: RecordedRequest = { method, url, body, headers: new Headers(init?.headers) };
    this.requests.push(request);
    const signal = init?.signal ?? undefined;
    signal?.throwIfAborted();
    const route = this.routes.get(`${method} ${url.pathname}`);
    if (!route) return new Response('not found', { status: 404 });
    const answer = route(request);
    if (!signal) return answer;
    return new Promise<Response>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      Promise.resolve(answer).then(resolve, reject);
    });
  };

  count(methodAndPath: string): number {
    return this.requests.filter((r) => `${r.method} ${r.url.pathname}` === methodAndPath).length;
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A fetch whose requests never get an answer until aborted (a hung HQ). */
export const hangingFetch: typeof fetch = (_input, init) => new Promise<Response>((_resolve, reject) => {
  const signal = init?.signal;
  signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
});

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
