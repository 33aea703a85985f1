import type { BearerChallenge } from './challenge';

/** What scope selection can draw on. */
export interface ScopeSources {
  /** The caller's explicit choice (the Lenses HQ path: lenses.oauth.scopes). */
  explicit?: readonly string[];
  /** The challenge of the MCP server's 401/403. */
  challenge?: BearerChallenge;
  /** RFC 9728 `scopes_supported` of the protected resource. */
  scopesSupported?: readonly string[];
  /** Scopes already held (step-up). */
  held?: readonly string[];
}

/**
 * The scopes to ask for, in the MCP authorization spec's order (2025-11-25 "Scope
 * Selection Strategy"): an explicit choice, else the challenge's `scope`, else every
 * `scopes_supported` of the resource, else none. With held scopes the answer is their
 * union with that choice (2026-07-28: scope accumulation is the client's job on step-up).
 * Order kept, duplicates dropped; an empty answer means "leave `scope` out".
 */
export function selectScopes(sources: ScopeSources): string[] {
  const chosen = sources.explicit ?? sources.challenge?.scopes ?? sources.scopesSupported ?? [];
  return unionScopes(sources.held ?? [], chosen);
}

/** `a` ∪ `b`, keeping the order of first appearance. */
export function unionScopes(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b].filter((scope) => scope.length > 0))];
}

/** Splits a `scope` value (RFC 6749 §3.3: space-delimited) into its strings. */
export function splitScope(value: string): string[] {
  return value.split(' ').filter((scope) => scope.length > 0);
}
