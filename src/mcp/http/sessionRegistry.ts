import type { NodeStreamableHTTPServerTransport as StreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { Server, Transport } from '@modelcontextprotocol/server';
import type { Logger } from '../../log';

/** One open MCP session of the HTTP server (streamable HTTP, or the older HTTP+SSE transport). */
export interface McpSession<T extends Transport = StreamableHTTPServerTransport> {
  transport: T;
  server: Server;
  /** The scopes the session last listed tools with; a change sends list_changed. */
  scopes: string;
  /** Who opened it (OAuth `sub`); another subject cannot use it. */
  subject?: string;
  /** Last request (epoch ms): idle sessions are closed, the longest idle first when at a cap. */
  lastSeen: number;
  /** The client sent notifications/initialized; until then the short idle limit applies. */
  initialized: boolean;
}

export interface SessionLimits {
  /** Open sessions at most (MCP_MAX_SESSIONS). */
  maxSessions: number;
  /** Open sessions per subject (MCP_MAX_SESSIONS_PER_USER); requests without a subject only count in total. */
  maxSessionsPerSubject: number;
  /** Sessions without a request for this long are closed (clients that never sent DELETE). */
  idleMs: number;
  /** Sessions that never sent notifications/initialized are closed after this long. */
  uninitializedIdleMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { maxSessions: 1000, maxSessionsPerSubject: 20, idleMs: 30 * 60_000, uninitializedIdleMs: 30_000 };

/** At the total cap, a session idle at least this long is closed for a new one; else 503. */
export const EVICTABLE_IDLE_MS = 60_000;

/** A place for a new session, held from admission until it is added (or its initialize failed). */
export interface SessionAdmission {
  release(): void;
}

/**
 * The open MCP sessions, bounded (point 10 of the security review: 2,000 initialize
 * requests without DELETE must not keep 2,000 sessions): per subject the longest-idle
 * session makes room for a new one; in total one idle over a minute does, else the new one
 * is refused. A sweep closes idle sessions, soon those that never finished the handshake.
 */
export class SessionRegistry<T extends Transport = StreamableHTTPServerTransport> {
  private readonly sessions = new Map<string, McpSession<T>>();
  /** Admitted initialize requests whose session is not added yet: they count against the cap. */
  private opening = 0;

  constructor(
    private readonly limits: SessionLimits,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  get(id: string): McpSession<T> | undefined {
    return this.sessions.get(id);
  }

  values(): IterableIterator<McpSession<T>> {
    return this.sessions.values();
  }

  /** A new session of `subject` may open (release the admission once added or failed), or the 503 message. */
  admit(subject: string | undefined): SessionAdmission | string {
    if (subject !== undefined) {
      const own = [...this.sessions].filter(([, session]) => session.subject === subject).sort((a, b) => a[1].lastSeen - b[1].lastSeen);
      for (const entry of own.slice(0, Math.max(0, own.length - this.limits.maxSessionsPerSubject + 1)))
        this.close(entry, `its user has ${own.length} open sessions (the most allowed)`);
    }
    if (this.sessions.size + this.opening >= this.limits.maxSessions) {
      const oldest = this.longestIdle();
      if (!oldest || this.now() - oldest[1].lastSeen < EVICTABLE_IDLE_MS) {
        this.logger.warn(`Refused a new MCP session: ${this.sessions.size + this.opening} are open or opening, none idle for a minute`);
        return `Too many open MCP sessions (${this.limits.maxSessions}); close unused ones (DELETE /mcp) or try again in a minute`;
      }
      this.close(oldest, `${this.sessions.size} sessions are open (the most allowed)`);
    }
    this.opening += 1;
    let held = true;
    return {
      release: () => {
        if (held) this.opening -= 1;
        held = false;
      },
    };
  }

  add(id: string, session: McpSession<T>): void {
    this.sessions.set(id, session);
    this.logger.info(`MCP session ${id.slice(0, 8)} opened (${this.sessions.size} open)`);
  }

  /** Forgets a session its transport closed. */
  delete(id: string): void {
    this.sessions.delete(id);
  }

  /** Closes the sessions idle past their limit. */
  sweep(): void {
    const at = this.now();
    for (const entry of this.sessions) {
      const [, session] = entry;
      if (!session.initialized && at - session.lastSeen >= this.limits.uninitializedIdleMs)
        this.close(entry, `never sent notifications/initialized within ${this.limits.uninitializedIdleMs / 1000} s`);
      else if (at - session.lastSeen >= this.limits.idleMs) this.close(entry, `idle for ${Math.round(this.limits.idleMs / 1000)} s`);
    }
  }

  /** How often `sweep` should run to keep to the limits. */
  get sweepIntervalMs(): number {
    return Math.max(10, Math.min(60_000, this.limits.uninitializedIdleMs / 2, this.limits.idleMs / 2));
  }

  async closeAll(): Promise<void> {
    const open = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(
      open.map(async (session) => {
        await session.transport.close();
        await session.server.close();
      }),
    );
  }

  private close([id, session]: [string, McpSession<T>], why: string): void {
    this.sessions.delete(id);
    this.logger.info(`MCP session ${id.slice(0, 8)} closed: ${why}`);
    void session.transport
      .close()
      .then(() => session.server.close())
      .catch(() => {});
  }

  private longestIdle(): [string, McpSession<T>] | undefined {
    let oldest: [string, McpSession<T>] | undefined;
    for (const entry of this.sessions) if (!oldest || entry[1].lastSeen < oldest[1].lastSeen) oldest = entry;
    return oldest;
  }
}
