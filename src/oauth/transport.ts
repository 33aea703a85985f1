import * as oauth from 'oauth4webapi';
import { isLoopbackHost } from '../loopback';
import { OAuthError } from './errors';


/** Refuses plain http to a host that is not loopback unless insecure http was allowed (CL-13). */
export function assertSecureUrl(url: URL, allowInsecureHttp: boolean): void {
  if (url.protocol === 'https:') return;
  if (url.protocol !== 'http:') throw new OAuthError('discovery_failed', `${url.origin} is not an http(s) URL.`);
  if (isLoopbackHost(url.hostname) || allowInsecureHttp) return;
  throw new OAuthError(
    'insecure_http',
    `Refusing plain http to ${url.host}: tokens would travel unencrypted. Use https, or allow insecure http explicitly in the settings.`,
  );
}

export interface TransportOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  allowInsecureHttp: boolean;
}

/** oauth4webapi options for one network step: our fetch, our signal, our URL policy. */
export type StepOptions = oauth.HttpRequestOptions<'GET' | 'POST', URLSearchParams | string | undefined>;

/**
 * Runs network steps for the OAuth client: each gets a timeout joined to the caller's
 * signal, every URL it touches passes the http policy, and a network failure becomes
 * `unreachable` (timeout or refused) or `cancelled` (the caller aborted).
 */
export class Transport {
  constructor(private readonly options: TransportOptions) {}

  /** Plain fetch under the same policy (for requests oauth4webapi has no helper for). */
  async fetch(step: string, url: URL, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    return this.run(step, signal, (options) => this.checkedFetch(options)(url.href, init));
  }

  /** Runs `work` with oauth4webapi options; maps network failures, rethrows the rest. */
  async run<T>(step: string, signal: AbortSignal | undefined, work: (options: StepOptions) => Promise<T>): Promise<T> {
    if (signal?.aborted) throw cancelled(step);
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const joined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const options: StepOptions = {
      signal: joined,
      [oauth.allowInsecureRequests]: true, // our own policy (assertSecureUrl) runs on every URL instead
    };
    options[oauth.customFetch] = this.checkedFetch({ signal: joined });
    try {
      return await work(options);
    } catch (error) {
      if (error instanceof OAuthError) throw error;
      if (signal?.aborted) throw cancelled(step);
      if (deadline.aborted) {
        throw new OAuthError('unreachable', `Lenses HQ did not answer within ${Math.round(this.options.timeoutMs / 1000)} s (${step}). Check the URL and your network, then try again.`);
      }
      if (isNetworkFailure(error)) {
        throw new OAuthError('unreachable', `Could not reach Lenses HQ (${step}). Check the URL and your network, then try again.`, { detail: describe(error) });
      }
      throw error;
    }
  }

  private checkedFetch(options: Pick<StepOptions, 'signal'>) {
    return async (url: string, init: RequestInit): Promise<Response> => {
      assertSecureUrl(new URL(url), this.options.allowInsecureHttp);
      const signal = typeof options.signal === 'function' ? options.signal(url) : options.signal;
      try {
        return await this.options.fetch(url, { ...init, redirect: 'manual', signal: init.signal ?? signal });
      } catch (error) {
        throw new NetworkFailure(error);
      }
    };
  }
}

/** A fetch that threw: refused, reset, DNS, aborted. */
class NetworkFailure extends Error {
  constructor(readonly original: unknown) {
    super(`network failure: ${describe(original)}`);
  }
}

function isNetworkFailure(error: unknown): boolean {
  return error instanceof NetworkFailure;
}

function cancelled(step: string): OAuthError {
  return new OAuthError('cancelled', `Sign-in was cancelled (${step}).`);
}

/** A short, secret-free description of a thrown value for logs. */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
