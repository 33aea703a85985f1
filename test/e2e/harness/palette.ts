// Command palette and quick picks, driven the way a user does (F1, type, pick).
import type { Locator, Page } from 'playwright-core';
import { waitUntil } from './wait';

const quickInput = '.quick-input-widget';

function attributeValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** The quick-pick row whose label is `label` (VS Code may append ", recently used" and the like). */
export function quickPickRow(page: Page, label: string): Locator {
  const value = attributeValue(label);
  return page
    .locator(`${quickInput} .monaco-list-row[role="option"]`)
    .and(page.locator(`[aria-label="${value}"], [aria-label^="${value}, "]`))
    .first();
}

/** Labels of the rows the open quick pick shows (waits for it to show some). */
export async function readQuickPick(page: Page, timeoutMs = 10_000): Promise<string[]> {
  const rows = page.locator(`${quickInput} .monaco-list-row[role="option"]`);
  await rows.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('aria-label') ?? ''));
}

/**
 * Labels of the rows the open quick pick shows, once one of them matches `pattern`
 * (entries may fill in after the first one shows, e.g. MCP servers).
 */
export async function waitForQuickPickRow(page: Page, pattern: RegExp, timeoutMs = 15_000): Promise<string[]> {
  const rows = page.locator(`${quickInput} .monaco-list-row[role="option"]`);
  return waitUntil(
    () => rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('aria-label') ?? '')),
    (labels) => labels.some((label) => pattern.test(label)),
    { timeoutMs, what: `a quick pick row matching ${pattern}` },
  );
}

/** Picks a row of the open quick pick by label. */
export async function pickQuickPickItem(page: Page, label: string, timeoutMs = 10_000): Promise<void> {
  const row = quickPickRow(page, label);
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await row.click();
}

/** Closes any open quick input. */
export async function closeQuickInput(page: Page): Promise<void> {
  const widget = page.locator(quickInput);
  for (let i = 0; i < 3 && (await widget.isVisible()); i++) {
    await page.keyboard.press('Escape');
    // A nested quick pick goes back one level per Escape: wait for each to take effect.
    await widget.waitFor({ state: 'hidden', timeout: 2000 }).catch(() => undefined);
  }
}

async function openCommandPalette(page: Page): Promise<Locator> {
  const input = page.locator(`${quickInput} input.input`);
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 2000 });
      return input;
    } catch {
      // Focus may be outside the workbench right after load: click the editor area and retry.
      await page
        .locator('.monaco-workbench .part.editor')
        .click({ position: { x: 5, y: 5 } })
        .catch(() => undefined);
    }
  }
  throw new Error('the command palette did not open (F1)');
}

/**
 * Runs a command from the command palette by its full title ("Category: Title").
 * Waits until that exact entry is listed, so a late-registered command or a slow
 * filter does not pick something else.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 15_000): Promise<void> {
  await closeQuickInput(page);
  const deadline = Date.now() + timeoutMs;
  const input = await openCommandPalette(page);
  await input.fill(`>${title}`);
  const row = quickPickRow(page, title);
  for (;;) {
    const left = deadline - Date.now();
    const shown = await row.waitFor({ state: 'visible', timeout: Math.max(1, Math.min(2000, left)) }).then(
      () => true,
      () => false,
    );
    if (shown) break;
    if (Date.now() >= deadline) {
      const entries = await readQuickPick(page, 1000).catch(() => []);
      throw new Error(`command "${title}" not in the palette; it shows: ${JSON.stringify(entries)}`);
    }
    // Commands contributed by an extension appear once it is registered: re-filter.
    if (!(await input.isVisible())) await openCommandPalette(page);
    await input.fill(`>${title} `);
    await input.fill(`>${title}`);
  }
  await row.click();
}

/** Opens and focuses a view by its name ("View: Open View…" then the view), e.g. a tree view of an extension. */
export async function focusView(page: Page, viewName: string, timeoutMs = 15_000): Promise<void> {
  await closeQuickInput(page);
  const input = await openCommandPalette(page);
  // "view " is the quick access prefix of View: Open View.
  await input.fill(`view ${viewName}`);
  await pickQuickPickItem(page, viewName, timeoutMs);
}
