// Workbench parts other than the palette: status bar, dialogs, trees, menus, notifications, pages.
import type { BrowserContext, Locator, Page } from 'playwright-core';
import * as path from 'node:path';
import { artifactsDir } from './artifacts';
import { runCommand } from './palette';
import { waitUntil } from './wait';

/** Waits until a status bar item's text (or accessible label) matches; returns that text. */
export async function waitForStatusBarText(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const handle = await page.waitForFunction(
    ({ source, flags }) => {
      const re = new RegExp(source, flags);
      for (const item of Array.from(document.querySelectorAll('.statusbar-item'))) {
        const text = (item.textContent ?? '').trim();
        if (re.test(text)) return text;
        const label = item.querySelector('[aria-label]')?.getAttribute('aria-label') ?? item.getAttribute('aria-label') ?? '';
        if (label && re.test(label)) return label;
      }
      return false;
    },
    { source: pattern.source, flags: pattern.flags },
    { timeout: timeoutMs, polling: 200 },
  );
  return String(await handle.jsonValue());
}

/** Texts of every status bar item. */
export async function statusBarTexts(page: Page): Promise<string[]> {
  return page.locator('.statusbar-item').evaluateAll((items) => items.map((i) => (i.textContent ?? '').trim()).filter(Boolean));
}

/** Options for handleDialog. */
export interface DialogOptions {
  /** The dialog's message must match this. */
  message?: RegExp;
  timeoutMs?: number;
}

/**
 * Waits for VS Code's modal dialog (e.g. "The extension 'Lenses MCP' wants to sign in
 * using Lenses.") and presses the button labelled `buttonLabel`; returns the message.
 */
export async function handleDialog(page: Page, buttonLabel: string, options: DialogOptions = {}): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: options.timeoutMs ?? 30_000 });
  const message = await dialogMessage(dialog);
  if (options.message && !options.message.test(message)) {
    throw new Error(`dialog says "${message}", expected ${options.message}`);
  }
  const button = dialog.locator('.dialog-buttons .monaco-button').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(buttonLabel)}\\s*$`) });
  await button.first().click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  return message;
}

/** The message of the modal dialog shown now, or undefined. */
export async function currentDialogMessage(page: Page): Promise<string | undefined> {
  const dialog = page.locator('.monaco-dialog-box');
  if (!(await dialog.isVisible())) return undefined;
  return dialogMessage(dialog);
}

// A one-line dialog shows its text as the "detail"; a titled one as text + detail.
async function dialogMessage(dialog: Locator): Promise<string> {
  const parts = await dialog.locator('.dialog-message-text, .dialog-message-detail').allTextContents();
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .join('\n');
}

/** A row of any tree (custom views, Explorer) by its label. */
export function treeItem(page: Page, label: string | RegExp): Locator {
  return page.locator('.monaco-list-row[role="treeitem"]').filter({ hasText: label }).first();
}

/** Clicks a tree item by label. */
export async function clickTreeItem(page: Page, label: string | RegExp, timeoutMs = 15_000): Promise<void> {
  const item = treeItem(page, label);
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  await item.click();
}

/**
 * Opens a tree item's context menu and runs `entry`. A click right after the menu opens
 * is sometimes ignored: it hovers (which focuses the entry), clicks, and when the menu is
 * still open a moment later presses Enter on the focused entry.
 */
export async function contextMenu(page: Page, label: string | RegExp, entry: string, timeoutMs = 15_000): Promise<void> {
  const item = treeItem(page, label);
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  await item.click({ button: 'right' });
  const menu = page.locator('.monaco-menu');
  const action = menu
    .locator('.action-item')
    .filter({ has: page.locator('.action-label', { hasText: new RegExp(`^\\s*${escapeRegExp(entry)}\\s*$`) }) })
    .first();
  await action.waitFor({ state: 'visible', timeout: 5000 });
  await action.hover();
  // The menu marks the hovered entry (its .action-item) "focused" once it takes input.
  await waitUntil(
    () => action.evaluate((element) => element.classList.contains('focused')),
    (focused) => focused,
    { timeoutMs: 2000, intervalMs: 50 },
  ).catch(() => undefined);
  await action.click();
  const closed = await menu.waitFor({ state: 'hidden', timeout: 2000 }).then(
    () => true,
    () => false,
  );
  if (closed) return;
  if (await action.isVisible()) await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden', timeout: 5000 });
}

/**
 * Waits for a notification whose text matches; returns its text. Info toasts hide after
 * 10 s, so when no toast matches soon it opens the notification centre (which lists past
 * and new ones) and waits there, then hides the centre again.
 */
export async function waitForNotification(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const find = (within: number) =>
    page
      .waitForFunction(
        ({ source, flags }) => {
          const re = new RegExp(source, flags);
          const rows = document.querySelectorAll('.notifications-toasts .monaco-list-row, .notifications-center .monaco-list-row');
          for (const row of Array.from(rows)) {
            const text = row.getAttribute('aria-label') || (row.textContent ?? '').trim();
            if (re.test(text)) return text;
          }
          return false;
        },
        { source: pattern.source, flags: pattern.flags },
        { timeout: Math.max(1, within), polling: 200 },
      )
      .then(async (handle) => String(await handle.jsonValue()));
  try {
    return await find(Math.min(3000, timeoutMs));
  } catch {
    // no toast (yet, or any more): look in the notification centre
  }
  await runCommand(page, 'Notifications: Show Notifications');
  try {
    return await find(deadline - Date.now());
  } finally {
    await hideNotificationCentre(page);
  }
}

/** Closes the notification centre with its "Hide Notifications" button (the palette does not list that command). */
async function hideNotificationCentre(page: Page): Promise<void> {
  const centre = page.locator('.notifications-center');
  if (!(await centre.isVisible())) return;
  await centre
    .locator('.action-label[aria-label^="Hide Notifications"]')
    .first()
    .click({ timeout: 5000 })
    .catch(() => page.keyboard.press('Escape'));
  await centre.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
}

/** Options for waitForNewPage. */
export interface NewPageOptions {
  /** Wait until the new page's URL matches this. */
  url?: RegExp;
  timeoutMs?: number;
}

/**
 * Resolves with the next page the context opens (what `vscode.env.openExternal` opens).
 * Call it before the action that opens the page, then await it.
 */
export async function waitForNewPage(context: BrowserContext, options: NewPageOptions = {}): Promise<Page> {
  const timeout = options.timeoutMs ?? 30_000;
  const page = await context.waitForEvent('page', { timeout });
  if (options.url) await page.waitForURL(options.url, { timeout });
  return page;
}

/**
 * Texts of every notification shown now or earlier in this window (toasts and the
 * notification centre, which it opens and hides again).
 */
export async function notificationTexts(page: Page): Promise<string[]> {
  await runCommand(page, 'Notifications: Show Notifications');
  try {
    await page.locator('.notifications-center').waitFor({ state: 'visible', timeout: 5000 });
    return await page
      .locator('.notifications-toasts .monaco-list-row, .notifications-center .monaco-list-row')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') || (row.textContent ?? '').trim()));
  } finally {
    await hideNotificationCentre(page);
  }
}

/**
 * Saves a PNG of just `subject` (a status bar item, a view, a dialog, a quick pick; several
 * locators: the box around them all) with `margin` pixels of its surroundings, as
 * .artifacts/e2e/<name>.png; returns the path. README pictures are cropped so their subject
 * is readable in a table cell.
 */
export async function screenshotOf(page: Page, subject: Locator | Locator[], name: string, margin = 6): Promise<string> {
  const file = path.join(artifactsDir(), `${name.replace(/[^\w.-]+/g, '-')}.png`);
  const boxes = await Promise.all((Array.isArray(subject) ? subject : [subject]).map((part) => part.first().boundingBox()));
  if (boxes.length === 0 || boxes.some((box) => !box)) throw new Error(`${name}: the subject of the screenshot is not visible`);
  const visible = boxes.filter((box): box is NonNullable<typeof box> => box !== null);
  const left = Math.min(...visible.map((box) => box.x));
  const top = Math.min(...visible.map((box) => box.y));
  const right = Math.max(...visible.map((box) => box.x + box.width));
  const bottom = Math.max(...visible.map((box) => box.y + box.height));
  const viewport = page.viewportSize() ?? { width: right + margin, height: bottom + margin };
  const x = Math.max(0, Math.floor(left - margin));
  const y = Math.max(0, Math.floor(top - margin));
  const clip = {
    x,
    y,
    width: Math.min(viewport.width - x, Math.ceil(right + margin) - x),
    height: Math.min(viewport.height - y, Math.ceil(bottom + margin) - y),
  };
  await page.screenshot({ path: file, clip });
  return file;
}

/** Saves a full-page PNG as .artifacts/e2e/<name>.png; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(artifactsDir(), `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
