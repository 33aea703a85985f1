import * as oauth from 'oauth4webapi';
import { assertSecureUrl as assertSecureHttpUrl, HttpError, httpErrorIn, send, withTimeout, type OutboundInit } from '../http';
import { errorMessage } from '../errors';
import { OAuthError } from './errors';

/** The https-or-loopback rule of the HTTP core, as an OAuthError (CL-13). */
export function assertSecureUrl(url: URL, allowInsecureHttp: boolean): void {
  try {
    assertSecureHttpUrl(url, allowInsecureHttp);
  } catch (error) {
    throw policyError(error, url);
  }
}

export interface TransportOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  allowInsecureHttp: boolean;
}

/** oauth4webapi options for one network step: the core's fetch, our signal, our URL policy. */
export type StepOptions = oauth.HttpRequestOptions<'GET' | 'POST', URLSearchParams | string | undefined>;

/**
 * The OAuth client's adapter to the outbound HTTP core (src/http): each step gets one
 * timeout joined to the caller's signal, every URL it touches passes the core's policy
 * (https or loopback, manual redirects, size limit), and the core's coded errors become
 * `unreachable` (timeout, refused) or `cancelled` (the caller aborted).
 */
export class Transport {
  constructor(private readonly options: TransportOptions) {}

  /** Plain request under the same policy (for requests oauth4webapi has no helper for). */
  async fetch(step: string, url: URL, init: OutboundInit, signal?: AbortSignal): Promise<Response> {
    return this.run(step, signal, (options) => this.coreFetch(options)(url.href, init));
  }

  /** Runs `work` with oauth4webapi options; maps the core's errors, rethrows the rest. */
  async run<T>(step: string, signal: AbortSignal | undefined, work: (options: StepOptions) => Promise<T>): Promise<T> {
    try {
      return await withTimeout(this.options.timeoutMs, signal, async (joined) => {
        const options: StepOptions = {
          signal: joined,
          [oauth.allowInsecureRequests]: true, // the core's policy runs on every URL instead
        };
        options[oauth.customFetch] = this.coreFetch(options);
        return work(options);
      });
    } catch (error) {
      throw this.stepError(step, error);
    }
  }

  private coreFetch(options: Pick<StepOptions, 'signal'>) {
    return (url: string, init: { method?: string; headers?: HeadersInit; body?: unknown; signal?: AbortSignal | null }): Promise<Response> => {
      const signal = init.signal ?? (typeof options.signal === 'function' ? options.signal(url) : options.signal);
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => {
        headers[name] = value;
      });
      const body = bodyText(init.body);
      return send(url, { method: init.method, headers, body }, { fetch: this.options.fetch, signal, allowInsecureHttp: this.options.allowInsecureHttp });
    };
  }

  private stepError(step: string, error: unknown): unknown {
    if (error instanceof OAuthError) return error;
    const http = httpErrorIn(error);
    if (!http) return error;
    switch (http.code) {
      case 'cancelled':
        return new OAuthError('cancelled', `Sign-in was cancelled (${step}).`, { cause: http });
      case 'timeout':
        return new OAuthError(
          'unreachable',
          `Lenses HQ did not answer within ${Math.round(this.options.timeoutMs / 1000)} s (${step}). Check the URL and your network, then try again.`,
          { detail: http.message, cause: http },
        );
      case 'unreachable':
        return new OAuthError('unreachable', `Could not reach Lenses HQ (${step}). Check the URL and your network, then try again.`, {
          detail: `${http.message}: ${errorMessage(http.cause)}`,
          cause: http,
        });
      case 'too_large':
        return new OAuthError('discovery_failed', `Lenses HQ ${http.message} (${step}).`, { status: http.status, detail: http.message, cause: http });
      default:
        return policyError(http);
    }
  }
}

function policyError(error: unknown, url?: URL): unknown {
  if (!(error instanceof HttpError)) return error;
  if (error.code === 'insecure_url') return new OAuthError('insecure_http', `${error.message.replace(/\.$/, '')} in the settings.`, { cause: error });
  if (error.code === 'invalid_url') return new OAuthError('discovery_failed', `${url ? url.origin : 'The address'} is not an http(s) URL.`, { cause: error });
  return new OAuthError('discovery_failed', error.message, { detail: error.code, cause: error });
}

/** The request bodies oauth4webapi sends: a form (URLSearchParams) or JSON text. */
function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  throw new TypeError('The OAuth transport sends only text or form bodies');
}
