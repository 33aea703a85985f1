import { randomUUID } from 'node:crypto';
import type { SecretStore } from './types';

/** SecretStore key prefix of the lease a window takes before refreshing a session (CL-10). */
export const REFRESH_LEASE_PREFIX = 'lenses.oauth.refreshLease/';

/** How long the cross-window refresh lease waits and lives; injectable for tests. */
export interface RefreshLeaseTimings {
  /** Pause between writing the lease and reading it back (last writer wins). */
  settleMs: number;
  /** A lease older than this is abandoned (its window died mid-refresh) and may be taken over. */
  ttlMs: number;
  /** How long a window waits for another window's refresh before giving up for now. */
  maxWaitMs: number;
  /** How often a waiting window looks for the other window's result. */
  pollMs: number;
}

export const DEFAULT_LEASE_TIMINGS: RefreshLeaseTimings = { settleMs: 150, ttlMs: 30_000, maxWaitMs: 15_000, pollMs: 200 };

/** Addition to LensesOAuthClientOptions: the waits of cross-window coordination. */
export interface RefreshCoordinationOptions {
  /** Waits `ms` (default a timer); tests pass one that advances their fake clock. */
  sleep?: (ms: number) => Promise<void>;
  refreshLease?: Partial<RefreshLeaseTimings>;
  /** Pause before checking that a sessions write was not overwritten by another window; default 100 ms. */
  storeVerifyMs?: number;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Lease {
  owner: string;
  until: number;
}

/**
 * A short lease per session in the shared SecretStore, so that of several windows (each its
 * own extension host over one SecretStorage) only one spends the refresh token: HQ treats a
 * second use of a rotated refresh token as reuse and revokes the whole grant.
 *
 * SecretStorage has no compare-and-set. Claiming is write, settle, read back: when two
 * windows write at about the same time the last write wins and both read the winner back.
 * Only writes further apart than the settle time can both "win", and then the second
 * writer would already have seen the first's lease (it checks before writing), so the race
 * window is the few milliseconds of one SecretStorage round trip.
 */
export class RefreshLeases {
  /** Random per client instance (= per window). */
  readonly owner = randomUUID();

  constructor(
    private readonly secrets: SecretStore,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
    readonly timings: RefreshLeaseTimings,
  ) {}

  /** The live lease another window holds on this session, if any. */
  async heldByOther(sessionId: string): Promise<Lease | undefined> {
    const lease = await this.read(sessionId);
    return lease && lease.owner !== this.owner && lease.until > this.now() ? lease : undefined;
  }

  /** Writes our lease, lets concurrent writers settle, and reads back: true when it is ours. */
  async claim(sessionId: string): Promise<boolean> {
    const lease: Lease = { owner: this.owner, until: this.now() + this.timings.ttlMs };
    await this.secrets.store(key(sessionId), JSON.stringify(lease));
    await this.sleep(this.timings.settleMs);
    return (await this.read(sessionId))?.owner === this.owner;
  }

  /** Drops the lease if it is still ours (a taken-over lease belongs to its new owner). */
  async release(sessionId: string): Promise<void> {
    if ((await this.read(sessionId))?.owner === this.owner) await this.secrets.delete(key(sessionId));
  }

  private async read(sessionId: string): Promise<Lease | undefined> {
    const raw = await this.secrets.get(key(sessionId));
    if (!raw) return undefined;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null) return undefined;
      const { owner, until } = parsed as Partial<Lease>;
      return typeof owner === 'string' && typeof until === 'number' ? { owner, until } : undefined;
    } catch {
      return undefined;
    }
  }
}

function key(sessionId: string): string {
  return `${REFRESH_LEASE_PREFIX}${sessionId}`;
}
