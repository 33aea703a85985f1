// Condition-based waits: poll what a user would see until it is right, never a fixed sleep.
import type { Page } from 'playwright-core';

/** Options for waitUntil. */
export interface WaitUntilOptions {
  /** Give up after this many milliseconds (default 15 s). */
  timeoutMs?: number;
  /** Pause between reads (default 250 ms). */
  intervalMs?: number;
  /** What is waited for, for the timeout message (e.g. "the VS Code grant to be gone"). */
  what?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads `read()` until `done(value)` holds and returns that value; on timeout throws with
 * the last value read (or the last error `read` threw), so a failure says what was seen.
 */
export async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, options: WaitUntilOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  let last: { value: T } | { error: unknown } | undefined;
  for (;;) {
    try {
      const value = await read();
      if (done(value)) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(options.intervalMs ?? 250, Math.max(0, deadline - Date.now())));
  }
  const seen = last === undefined ? 'nothing' : 'error' in last ? `error: ${String(last.error)}` : JSON.stringify(last.value)?.slice(0, 1000);
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what ?? 'a condition'}; last seen ${seen}`);
}

/**
 * Waits until some element matching `selector` shows text matching `pattern` (non-breaking
 * spaces read as spaces, as Monaco renders them); returns that text.
 */
export async function waitForText(page: Page, selector: string, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  try {
    const handle = await page.waitForFunction(
      ({ selector, source, flags }) => {
        const re = new RegExp(source, flags);
        for (const element of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
          const text = (element.innerText ?? '').replace(/\u00a0/g, ' ');
          if (re.test(text)) return text;
        }
        return false;
      },
      { selector, source: pattern.source, flags: pattern.flags },
      { timeout: timeoutMs, polling: 200 },
    );
    return String(await handle.jsonValue());
  } catch (error) {
    const shown = await page
      .locator(selector)
      .evaluateAll((elements) => elements.map((e) => (e as HTMLElement).innerText.replace(/\u00a0/g, ' ').slice(0, 300)))
      .catch(() => []);
    throw new Error(
      `no ${selector} showed ${pattern} within ${timeoutMs} ms; shown: ${JSON.stringify(shown)} (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
      { cause: error },
    );
  }
}
