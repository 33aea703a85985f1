import type { ServerResponse } from 'node:http';

export const HEALTH_PATH = '/health';
export const READY_PATH = '/ready';

/** How long one HQ answer settles readiness: probes from many kubelets and balancers cost HQ one call per second at most. */
const READY_CACHE_MS = 1000;

export interface ReadinessOptions {
  /** HQ base URL (internal; never shown). */
  lensesUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * Whether HQ answers: an unauthenticated GET of `/api/v1/environments` that gets any HTTP
 * answer below 500 within the timeout (a 401 proves HQ is up; no credential is spent on
 * probes). Concurrent probes share one call, and an answer is reused for a second.
 */
export class HqReadiness {
  private inFlight: Promise<boolean> | undefined;
  private last: { at: number; ready: boolean } | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: ReadinessOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
  }

  check(): Promise<boolean> {
    if (this.last && this.now() - this.last.at < READY_CACHE_MS) return Promise.resolve(this.last.ready);
    this.inFlight ??= this.ask().then((ready) => {
      this.last = { at: this.now(), ready };
      this.inFlight = undefined;
      return ready;
    });
    return this.inFlight;
  }

  private async ask(): Promise<boolean> {
    try {
      const answer = await this.fetchImpl(`${this.options.lensesUrl}/api/v1/environments`, {
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'manual',
      });
      await answer.body?.cancel();
      return answer.status < 500;
    } catch {
      return false;
    }
  }
}

/** `GET /health`: the process serves HTTP (liveness). */
export function sendHealth(response: ServerResponse, version: string): void {
  sendJson(response, 200, { status: 'ok', version });
}

/** `GET /ready`: 200 when HQ answered and the server is not shutting down, else 503; nothing internal in the body. */
export async function sendReadiness(response: ServerResponse, readiness: HqReadiness, draining: boolean, version: string): Promise<void> {
  if (draining) return sendJson(response, 503, { status: 'draining', version });
  const ready = await readiness.check();
  sendJson(response, ready ? 200 : 503, ready ? { status: 'ready', version } : { status: 'not ready', reason: 'Lenses HQ did not answer in time', version });
}

function sendJson(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}
