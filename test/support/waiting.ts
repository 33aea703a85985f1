/** How long to poll and how often; `what` names the condition in the timeout error. */
export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  what?: string;
}

/**
 * Polls `condition` until it holds or `timeoutMs` (default 5 s) passed: true once it held, false
 * if it never did. For effects that follow an event rather than a returned promise.
 */
export async function eventually(condition: () => boolean, options: WaitOptions = {}): Promise<boolean> {
  const { timeoutMs = 5000, intervalMs = 10 } = options;
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return true;
}

/** As `eventually`, but a condition that never held is an error naming it. */
export async function waitUntil(condition: () => boolean, options: WaitOptions = {}): Promise<void> {
  if (!(await eventually(condition, options))) {
    throw new Error(`timed out after ${options.timeoutMs ?? 5000} ms waiting for ${options.what ?? condition.toString()}`);
  }
}

/** Rejects after `timeoutMs` saying what did not finish, so a hung call fails its test instead of the run; the timer never outlives the wait. */
export async function within<T>(work: PromiseLike<T>, what: string, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
