import { originOf } from '../../http';
import { lazyContract } from '../../lenses/contract/lazyContract';

/** The environment tiers Lenses HQ knows. */
export const ENVIRONMENT_TIERS = ['development', 'staging', 'production'] as const;

/** An entry of the protected-environments list: an environment name or `tier:<tier>`. */
export type EnvironmentSelector = { kind: 'name'; name: string } | { kind: 'tier'; tier: string };

export const DEFAULT_PROTECTED_ENVIRONMENTS: readonly EnvironmentSelector[] = [{ kind: 'tier', tier: 'production' }];

/** A protected-environments entry that is neither a name nor `tier:` plus a known tier. */
export class ProtectedEnvironmentError extends Error {
  override readonly name = 'ProtectedEnvironmentError';
}

/** The entries of `list` that are not valid (names with spaces or slashes, unknown tiers). */
export function invalidEnvironmentSelectors(list: readonly string[]): string[] {
  return cleaned(list).filter((entry) => parseOne(entry) === undefined);
}

/** Parses names and `tier:<tier>` entries; throws `ProtectedEnvironmentError` naming the bad ones. */
export function parseEnvironmentSelectors(list: readonly string[], source: string): EnvironmentSelector[] {
  const invalid = invalidEnvironmentSelectors(list);
  if (invalid.length > 0) {
    throw new ProtectedEnvironmentError(
      `${source} has invalid ${invalid.length > 1 ? 'entries' : 'entry'} ${invalid.map((e) => `"${e}"`).join(', ')}: use environment names or tier:${ENVIRONMENT_TIERS.join(', tier:')}`,
    );
  }
  return knownEnvironmentSelectors(list);
}

/** The valid entries of `list` (the editor warns about the others). */
export function knownEnvironmentSelectors(list: readonly string[]): EnvironmentSelector[] {
  return cleaned(list).flatMap((entry) => parseOne(entry) ?? []);
}

export function environmentSelectorText(selector: EnvironmentSelector): string {
  return selector.kind === 'name' ? selector.name : `tier:${selector.tier}`;
}

function cleaned(list: readonly string[]): string[] {
  return list.map((entry) => entry.trim()).filter(Boolean);
}

function parseOne(entry: string): EnvironmentSelector | undefined {
  const tier = /^tier:(.*)$/i.exec(entry);
  if (tier) {
    const name = tier[1].trim().toLowerCase();
    return (ENVIRONMENT_TIERS as readonly string[]).includes(name) ? { kind: 'tier', tier: name } : undefined;
  }
  return /^[^\s/\\?#%]+$/.test(entry) ? { kind: 'name', name: entry } : undefined;
}

/** Why an environment is protected ("it is listed", "its tier is production"), or undefined when it is not. */
export function protectionReason(environment: string, tier: string | undefined, selectors: readonly EnvironmentSelector[]): string | undefined {
  if (listedByName(environment, selectors)) return `${environment} is a protected environment`;
  if (tier !== undefined && selectors.some((s) => s.kind === 'tier' && s.tier === tier.toLowerCase()))
    return `${environment} is a protected environment (tier ${tier})`;
  return undefined;
}

/** Whether deciding on `environment` needs its tier from HQ (a tier rule exists and no name rule already matched). */
export function needsTier(environment: string, selectors: readonly EnvironmentSelector[]): boolean {
  return selectors.some((s) => s.kind === 'tier') && !listedByName(environment, selectors);
}

/** Names compare case-insensitively: "PROD" and "prod" are one protected environment. */
function listedByName(environment: string, selectors: readonly EnvironmentSelector[]): boolean {
  const wanted = environment.toLowerCase();
  return selectors.some((s) => s.kind === 'name' && s.name.toLowerCase() === wanted);
}

export interface EnvironmentTierCacheOptions {
  /** How long a tier is trusted (default 30 s): tiers rarely change, and a stale one errs for a few seconds only. */
  ttlMs?: number;
  now?: () => number;
  /** Entries kept at most (default 500); the cache is cleared when it would grow past. */
  maxEntries?: number;
}

/**
 * The tier of each environment, as its HQ answered `GET /api/v1/environments/{name}`, kept
 * briefly so a burst of writes asks HQ once. Keyed by HQ origin and environment name: two HQs
 * may both have a "prod", and one HQ's answer never decides for the other. Lookups in flight
 * for a key are shared.
 */
export class EnvironmentTierCache {
  private readonly entries = new Map<string, { tier: string | undefined; expires: number }>();
  private readonly inFlight = new Map<string, Promise<string | undefined>>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(options: EnvironmentTierCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 500;
  }

  /**
   * The tier of `environment` on the HQ at `hqUrl`; `fetchEnvironment` (that HQ's answer for it)
   * runs only on a miss. Its errors propagate and are not cached.
   */
  async tierOf(hqUrl: string, environment: string, fetchEnvironment: () => Promise<unknown>): Promise<string | undefined> {
    const key = `${originOf(hqUrl) ?? hqUrl}\0${environment}`;
    const cached = this.entries.get(key);
    if (cached && cached.expires > this.now()) return cached.tier;
    const running = this.inFlight.get(key);
    if (running) return running;
    const lookup = fetchEnvironment().then((answer) => {
      const tier = tierField(answer);
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { tier, expires: this.now() + this.ttlMs });
      return tier;
    });
    this.inFlight.set(key, lookup);
    try {
      return await lookup;
    } finally {
      this.inFlight.delete(key);
    }
  }
}

/**
 * The `tier` of HQ's `hq_Environment`, read through the contract. An answer in no published
 * shape that still has a string `tier` is believed: a protected tier must not slip through
 * because another key changed.
 */
function tierField(answer: unknown): string | undefined {
  const { ENVIRONMENT, readAnswer } = lazyContract();
  const read = readAnswer(ENVIRONMENT, answer);
  if (read.known) return read.value.tier;
  const tier = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>).tier : undefined;
  return typeof tier === 'string' ? tier : undefined;
}
