import type { Scope } from '../../src/scopes';
import { CookieJar } from './cookieJar';

export interface BrowserlessOptions {
  username: string;
  password: string;
  /** Scopes to tick on the consent page; the others are unticked. */
  tick: Scope[];
  /** Press Deny on the consent page. */
  deny?: boolean;
  /** Fetch the final redirect URL (deliver the code to the client's listener). */
  deliver?: boolean;
  /** The "browser" cookies, to sign in again in the same session; default: a fresh jar. */
  cookies?: CookieJar;
}

const MAX_STEPS = 12;

/**
 * Completes login + consent for an authorization URL someone else built, as a user
 * with a browser would but over plain HTTP: follows redirects with a cookie jar,
 * fills the login form, ticks `tick` on the consent page and presses Allow (or Deny),
 * until HQ redirects to the client's redirect URI. Returns that URL (with code/state/iss
 * or error); fetches it first when `deliver` is set. Throws with HQ's error text when
 * HQ shows an error page instead of redirecting (e.g. unregistered redirect URI).
 */
export async function completeAuthorizationInBrowserless(authorizationUrl: string, options: BrowserlessOptions): Promise<URL> {
  const start = new URL(authorizationUrl);
  const redirectUri = start.searchParams.get('redirect_uri');
  const jar = options.cookies ?? new CookieJar();
  let request: { url: URL; method: 'GET' | 'POST'; form?: URLSearchParams } = { url: start, method: 'GET' };
  let loginTried = false;

  for (let step = 0; step < MAX_STEPS; step++) {
    const response = await fetch(request.url, {
      method: request.method,
      redirect: 'manual',
      headers: {
        ...(jar.header() ? { cookie: jar.header() } : {}),
        ...(request.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: request.form?.toString(),
    });
    jar.store(response);

    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const next = new URL(location, request.url);
      if (isClientRedirect(next, start, redirectUri)) {
        if (options.deliver && /^https?:$/.test(next.protocol)) {
          const delivered = await fetch(next, { redirect: 'manual' });
          await delivered.body?.cancel();
        }
        return next;
      }
      request = { url: next, method: 'GET' };
      continue;
    }

    const html = await response.text();
    const form = findForm(html, 'login-form') ?? findForm(html, 'consent-form');
    if (!form) throw new Error(`HQ showed no form (HTTP ${response.status}): ${pageText(html)}`);
    const action = new URL(form.action, request.url);
    if (form.id === 'login-form') {
      if (loginTried) throw new Error(`HQ refused the sign-in of ${options.username}: ${pageText(html)}`);
      loginTried = true;
      request = { url: action, method: 'POST', form: new URLSearchParams({ username: options.username, password: options.password }) };
    } else {
      const consent = new URLSearchParams({ decision: options.deny ? 'deny' : 'allow' });
      if (!options.deny) for (const scope of options.tick) consent.append('scope', scope);
      request = { url: action, method: 'POST', form: consent };
    }
  }
  throw new Error(`authorization did not reach the redirect URI within ${MAX_STEPS} steps`);
}

/** The client's redirect: its redirect_uri (any loopback port, RFC 8252), or any URL off HQ's origin. */
function isClientRedirect(next: URL, start: URL, redirectUri: string | null): boolean {
  if (redirectUri) {
    const expected = new URL(redirectUri);
    if (next.protocol === expected.protocol && next.hostname === expected.hostname && next.pathname === expected.pathname) return true;
  }
  return next.origin !== start.origin;
}

function findForm(html: string, id: string): { id: string; action: string } | undefined {
  const tag = new RegExp(`<form\\b[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0];
  const action = tag && /\baction="([^"]*)"/.exec(tag)?.[1];
  return action === undefined || action === null ? undefined : { id, action: unescapeHtml(action) };
}

function pageText(html: string): string {
  const text = unescapeHtml(html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
  return text.slice(0, 300);
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
