import { lensesTools } from '../toolCatalog';

/** How long after the start the warm-up runs: after a stdio client's initialize and tools/list. */
export const WARM_UP_AFTER_MS = 300;

/**
 * Loads in the background what the first tool call needs and the start did not: the tools
 * (bodies and zod schemas; the start lists them from the catalog built into the bundle) and
 * Node's fetch, whose HTTP client loads on first use. A call before then loads them itself.
 */
export function warmUpInBackground(delayMs = WARM_UP_AFTER_MS): void {
  const timer = setTimeout(() => {
    try {
      lensesTools();
      // Constructing a Request loads fetch's HTTP client without sending anything.
      new Request('http://127.0.0.1/');
    } catch {
      // The first call loads them again and reports what went wrong to the model and the log.
    }
  }, delayMs);
  timer.unref();
}
