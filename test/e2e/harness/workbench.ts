// Opens the code-server workbench in headless Chromium (playwright-core, Debian's /usr/bin/chromium).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { RunningCodeServer } from './codeServer';
import { ensureE2eTools } from './tools';

/** A browser showing one VS Code window. */
export interface OpenWorkbench {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Closes the page first (so the extension host stops after the grace time), then the browser. */
  close(): Promise<void>;
}

/** Options for openWorkbench. */
export interface OpenWorkbenchOptions {
  /** Milliseconds to wait for .monaco-workbench (default 60 s). */
  timeoutMs?: number;
  /** URL to open instead of server.url (e.g. with a smoke-test payload). */
  url?: string;
  /** Called with the page before it navigates (exposeFunction, addInitScript). */
  beforeNavigate?(page: Page): Promise<void>;
}

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Chromium (fresh profile), opens the workbench and waits for it to render. */
export async function openWorkbench(server: RunningCodeServer, options: OpenWorkbenchOptions = {}): Promise<OpenWorkbench> {
  const tools = ensureE2eTools();
  // launch() uses a fresh temporary profile, and Playwright kills Chromium when this
  // process exits or gets SIGINT/SIGTERM/SIGHUP.
  const browser = await chromium.launch({ executablePath: tools.chromium, headless: true, args: chromiumArgs });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const page of context.pages()) await page.close().catch(() => undefined);
    await browser.close().catch(() => undefined);
  };
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    await options.beforeNavigate?.(page);
    const timeout = options.timeoutMs ?? 60_000;
    await page.goto(options.url ?? server.url, { timeout });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
    return { browser, context, page, close };
  } catch (error) {
    await close();
    throw error;
  }
}
