import type { CacheHint, ServerOptions } from '@modelcontextprotocol/server';

/**
 * What can change the tools/list and server/discover answers for one bearer while the server runs.
 * - `restart`: the standalone server. Governance (read-only mode, tool filters) is read once at
 *   start; a bearer's scopes are fixed for its life (a new token is a new authorization context,
 *   which a `private` entry is never shared across).
 * - `runtime`: the embedded server. The same link secret stands for whatever the editor's Lenses
 *   session and settings are now; a change reaches 2025 sessions and `subscriptions/listen`
 *   streams only, and a 2026-07-28 client with no listen stream would never hear of it.
 */
export type ToolSetChanges = 'restart' | 'runtime';

/** The SDK client's own upper bound on a `ttlMs` (MAX_CACHE_TTL_MS): one day. */
export const PROMPTS_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * How long a standalone client may reuse its tool list. Bounds how long a client shows a tool set
 * an operator's restart with other governance variables has changed; a stale list never widens
 * access, since every tools/call checks the scope and the rules again.
 */
export const TOOL_SET_TTL_MS = 5 * 60 * 1000;

/**
 * The 2026-07-28 cache hints (SEP-2549) of the cacheable results this server answers; the SDK
 * puts them on those results only (never on tools/call, whose result has no cache fields) and
 * never on a 2025 response.
 */
export function lensesCacheHints(
  changes: ToolSetChanges,
): Required<Pick<NonNullable<ServerOptions['cacheHints']>, 'tools/list' | 'prompts/list' | 'server/discover'>> {
  // The ten prompts are the same for every caller and change only with a release.
  const prompts: CacheHint = { ttlMs: PROMPTS_TTL_MS, cacheScope: 'public' };
  // The tool set and what discover says follow the caller's scopes: never shared between callers.
  const toolSet: CacheHint = { ttlMs: changes === 'restart' ? TOOL_SET_TTL_MS : 0, cacheScope: 'private' };
  return { 'tools/list': toolSet, 'prompts/list': prompts, 'server/discover': toolSet };
}
