import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/** How often the drain looks whether everything in flight is answered. */
const POLL_MS = 25;
/** A connection accepted this recently may still be sending its first request; an older silent one is idle (clients open spares). */
const FRESH_MS = 500;

/**
 * Graceful drain for a rolling restart. `drain` stops listening (so a load balancer gets
 * "connection refused" and tries another replica), answers every request in flight, each
 * with `Connection: close`, also the ones on connections accepted just before the listener
 * closed, then closes every connection; what is left at the end of the grace period is cut.
 * Long-lived streams (`GET` SSE) are not waited for: they have no end, and their clients
 * reconnect.
 */
export class RequestDrain {
  private inFlight = 0;
  private draining = false;
  /** Connections accepted that have not sent a request yet (with when): their request may be on its way. */
  private readonly fresh = new Map<Socket, number>();

  constructor(server: Server) {
    server.on('connection', (socket: Socket) => {
      this.fresh.set(socket, Date.now());
      socket.once('close', () => this.fresh.delete(socket));
    });
    server.on('request', (request: { socket: Socket }) => this.fresh.delete(request.socket));
  }

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
    });
  }

  /** Resolves once in-flight requests are answered or `graceMs` passed; every connection is closed by then. */
  async drain(server: Server, graceMs: number): Promise<{ unfinished: number }> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => {
      // The plain net close: http.Server#close would also drop idle connections at once,
      // among them those just accepted whose request is on its way (a 502 at the balancer).
      NetServer.prototype.close.call(server, () => resolve());
    });
    const deadline = Date.now() + graceMs;
    while ((this.inFlight > 0 || this.recentlyAccepted()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const unfinished = this.inFlight;
    server.closeAllConnections();
    await closed;
    // Now the http-level close too: it stops the request-timeout checks.
    server.close(() => {});
    return { unfinished };
  }

  private recentlyAccepted(): boolean {
    const now = Date.now();
    for (const at of this.fresh.values()) if (now - at < FRESH_MS) return true;
    return false;
  }
}
