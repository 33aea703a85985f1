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
 * `vscode://<publisher>.<name>/auth-callback?code=…`, and the one waiting sign-in gets it.
 * Other paths are ignored; a callback with nobody waiting is dropped (CL-06).
 */
export class AuthCallbackHandler {
  private waiting: ((url: URL) => void) | undefined;

  handleUri(uri: CallbackUri): void {
    if (uri.path !== AUTH_CALLBACK_PATH || !this.waiting) return;
    const deliver = this.waiting;
    this.waiting = undefined;
    const url = new URL(`${uri.scheme}://${uri.authority}${uri.path}`);
    url.search = uri.query;
    deliver(url);
  }

  /** Resolves with the next callback; rejects with an AbortError when `signal` aborts. */
  waitForCallback(signal: AbortSignal): Promise<URL> {
    return new Promise<URL>((resolve, reject) => {
      const abort = () => {
        if (this.waiting === deliver) this.waiting = undefined;
        reject(signal.reason instanceof Error ? signal.reason : new DOMException('Sign-in was cancelled', 'AbortError'));
      };
      const deliver = (url: URL) => {
        signal.removeEventListener('abort', abort);
        resolve(url);
      };
      if (signal.aborted) return abort();
      this.waiting = deliver;
      signal.addEventListener('abort', abort, { once: true });
    });
  }

  /** The `uri` redirect strategy, given the externalised callback URI (`env.asExternalUri`). */
  strategy(redirectUri: string): RedirectChoice {
    return { kind: 'uri', redirectUri, waitForCallback: (signal) => this.waitForCallback(signal) };
  }
}
