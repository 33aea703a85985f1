import type { BearerChallenge } from './challenge';
import { unionScopes } from './scopeSelection';

/** What to do with a 403 challenge: re-authorize once asking `scopes`, or not (and why). */
export type StepUpPlan = { kind: 'reauthorize'; scopes: string[] } | { kind: 'refused'; reason: string };

/**
 * Step-up bookkeeping per resource (MCP authorization "Step-Up Authorization Flow"): a 403
 * `insufficient_scope` leads to one re-authorization asking the union of the held scopes and
 * the challenged ones (2026-07-28 scope accumulation). The same step-up is never tried twice
 * in a row, and a challenge for scopes already held is not retried: no loop.
 */
export class StepUpAttempts {
  private readonly lastAsked = new Map<string, string>();

  plan(resource: string, held: readonly string[], challenge: BearerChallenge | undefined): StepUpPlan {
    if (challenge?.error !== 'insufficient_scope') return { kind: 'refused', reason: 'the answer is not an insufficient_scope challenge' };
    const needed = challenge.scopes ?? [];
    if (needed.length === 0) return { kind: 'refused', reason: 'the insufficient_scope challenge names no scope' };
    if (needed.every((scope) => held.includes(scope)))
      return { kind: 'refused', reason: `the server refused although the session holds "${needed.join(' ')}"` };
    const scopes = unionScopes(held, needed);
    const key = [...scopes].sort().join(' ');
    if (this.lastAsked.get(resource) === key) return { kind: 'refused', reason: `"${scopes.join(' ')}" was asked for already` };
    this.lastAsked.set(resource, key);
    return { kind: 'reauthorize', scopes };
  }

  /** A request went through with the new token: a later 403 may step up again. */
  succeeded(resource: string): void {
    this.lastAsked.delete(resource);
  }
}
