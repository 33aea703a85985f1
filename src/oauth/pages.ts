/** The pages the loopback listener answers the browser with. */

export type CallbackOutcome = { ok: true } | { ok: false; message: string };

export function callbackPage(outcome: CallbackOutcome): string {
  const title = outcome.ok ? 'You are signed in to Lenses' : 'Lenses sign-in failed';
  const text = outcome.ok ? 'You can close this tab and return to VS Code.' : `${outcome.message} Close this tab and try again from VS Code.`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:4rem auto;max-width:32rem;text-align:center;color:#222}</style>
</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
