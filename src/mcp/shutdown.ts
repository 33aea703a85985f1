import type { Server, ServerResponse } from 'node:http';

/**
 * Graceful drain for a rolling restart: counts the requests being answered, and on
 * `drain` stops accepting connections, answers what is in flight (each with
 * `Connection: close`, so kept-alive clients reconnect elsewhere), and cuts what is left
 * when the grace period ends. Long-lived streams (`GET` SSE) are not waited for: they have
 * no end, and their clients reconnect.
 */
export class RequestDrain {
  private inFlight = 0;
  private draining = false;
  private settled: (() => void) | undefined;

  get isDraining(): boolean {
    return this.draining;
  }

  /** Counts `response` until it is finished or its connection is gone; `longLived` ones are not counted. */
  track(response: ServerResponse, longLived: boolean): void {
    if (this.draining) response.setHeader('Connection', 'close');
    if (longLived) return;
    this.inFlight += 1;
    response.once('close', () => {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.settled?.();
    });
  }

  /** Resolves once in-flight requests are answered or `graceMs` passed; every connection is closed by then. */
  async drain(server: Server, graceMs: number): Promise<{ unfinished: number }> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (this.inFlight > 0 && graceMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.settled = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const unfinished = this.inFlight;
    server.closeAllConnections();
    await closed;
    return { unfinished };
  }
}
