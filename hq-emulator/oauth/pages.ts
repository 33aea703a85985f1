import { escapeHtml } from './http';

/** The whole page frame: plain HTML and a little CSS, no JavaScript. */
function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Lenses HQ (emulator)</title>
<style>
body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1d2330;margin:0;padding:40px 16px}
main{max-width:380px;margin:0 auto;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15);padding:24px 28px}
h1{font-size:1.1em;margin:0 0 4px;color:#5a6275}h2{font-size:1.4em;margin:0 0 16px}
label{display:block;margin:10px 0 4px}input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:8px;border:1px solid #c3c8d4;border-radius:4px}
.scope{display:flex;gap:8px;align-items:center;margin:6px 0}.error{color:#b00020;background:#fdecee;padding:8px;border-radius:4px}
.buttons{display:flex;gap:8px;margin-top:18px}button{padding:8px 18px;border-radius:4px;border:1px solid #3a5bd9;background:#3a5bd9;color:#fff;font-size:1em}
button.secondary{background:#fff;color:#3a5bd9}.hint{color:#5a6275;font-size:.9em}code{word-break:break-all}
</style>
</head>
<body><main>
<h1>Lenses HQ (emulator)</h1>
${body}
</main></body>
</html>`;
}

/** The sign-in form: inputs `username` and `password`, button `#sign-in`. */
export function loginPage(action: string, options: { error?: string; username?: string; clientName: string }): string {
  const error = options.error ? `<p class="error" id="error" role="alert">${escapeHtml(options.error)}</p>` : '';
  return page(
    'Sign in',
    `<h2>Sign in</h2>
<p class="hint">to continue to <strong id="client-name">${escapeHtml(options.clientName)}</strong></p>
${error}
<form method="post" action="${escapeHtml(action)}" id="login-form">
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" autofocus required value="${escapeHtml(options.username ?? '')}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<div class="buttons"><button type="submit" id="sign-in" name="action" value="sign-in">Sign in</button></div>
</form>
<p class="hint">Users: admin/admin, alice/alice</p>`,
  );
}

/** The consent form: one `scope` checkbox per requested scope (ticked), buttons `#allow` and `#deny`. */
export function consentPage(
  action: string,
  options: { clientName: string; clientId: string; username: string; scopes: readonly string[]; resource?: string; error?: string },
): string {
  const error = options.error ? `<p class="error" id="error" role="alert">${escapeHtml(options.error)}</p>` : '';
  const boxes = options.scopes
    .map(
      (scope) =>
        `<div class="scope"><input type="checkbox" name="scope" value="${escapeHtml(scope)}" id="scope-${escapeHtml(scope)}" checked><label for="scope-${escapeHtml(scope)}">${escapeHtml(scope)}</label></div>`,
    )
    .join('\n');
  const resource = options.resource ? `<p class="hint">For resource <code id="resource">${escapeHtml(options.resource)}</code></p>` : '';
  return page(
    'Authorize',
    `<h2>Authorize <span id="client-name">${escapeHtml(options.clientName)}</span></h2>
<p class="hint">Signed in as <strong id="username">${escapeHtml(options.username)}</strong>. Client ID <code id="client-id">${escapeHtml(options.clientId)}</code></p>
${resource}
${error}
<form method="post" action="${escapeHtml(action)}" id="consent-form">
<p>This application asks for:</p>
${boxes}
<div class="buttons">
<button type="submit" id="allow" name="decision" value="allow">Allow</button>
<button type="submit" id="deny" name="decision" value="deny" class="secondary" formnovalidate>Deny</button>
</div>
</form>`,
  );
}

/** The page shown for an authorization error that must not be redirected (e.g. unknown redirect URI). */
export function errorPage(fields: Record<string, unknown>): string {
  const rows = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: <span id="${escapeHtml(key)}">${escapeHtml(String(value))}</span></p>`)
    .join('\n');
  return page('Error', `<h2>Something went wrong</h2>\n${rows}`);
}
