import type { RedirectChoice } from './oauthPort';

/** The path of the `vscode://<publisher>.<name>/auth-callback` redirect. */
export const AUTH_CALLBACK_PATH = '/auth-callback';

/** The parts of a `vscode.Uri` the handler reads. */
export interface CallbackUri {
  scheme: string;
  authority: string;
  path: string;
  query: string;
}

/**
 * The `UriHandler` of remote windows: the browser comes back to
 * `vscode://<publisher>.<name>/auth-callback?code=…&state=…`, and the one waiting sign-in
 * gets it when the `state` is its own. Other paths, a wrong or missing `state` (CL-18) and
 * a callback with nobody waiting (CL-06) are ignored; the sign-in keeps waiting.
 */
export class AuthCallbackHandler {
  private waiting: { state: string; deliver(url: URL): void } | undefined;

  constructor(private readonly onIgnored: (reason: string) => void = () => {}) {}

  handleUri(uri: CallbackUri): void {
    if (uri.path !== AUTH_CALLBACK_PATH) return;
    const waiting = this.waiting;
    if (!waiting) return this.onIgnored('no sign-in is waiting');
    const url = new URL(`${uri.scheme}://${uri.authority}${uri.path}`);
    url.search = uri.query;
    if (url.searchParams.get('state') !== waiting.state) return this.onIgnored('its state is wrong or missing');
    this.waiting = undefined;
    waiting.deliver(url);
  }

  /** Resolves with the callback carrying `expectedState`; rejects with an AbortError when `signal` aborts. */
  waitForCallback(signal: AbortSignal, expectedState: string): Promise<URL> {
    return new Promise<URL>((resolve, reject) => {
      const abort = () => {
        if (this.waiting?.deliver === deliver) this.waiting = undefined;
        reject(signal.reason instanceof Error ? signal.reason : new DOMException('Sign-in was cancelled', 'AbortError'));
      };
      const deliver = (url: URL) => {
        signal.removeEventListener('abort', abort);
        resolve(url);
      };
      if (signal.aborted) return abort();
      this.waiting = { state: expectedState, deliver };
      signal.addEventListener('abort', abort, { once: true });
    });
  }

  /** The `uri` redirect strategy, given the externalised callback URI (`env.asExternalUri`). */
  strategy(redirectUri: string): RedirectChoice {
    return { kind: 'uri', redirectUri, waitForCallback: (signal, expectedState) => this.waitForCallback(signal, expectedState) };
  }
}
