import { isLoopbackHost } from '../loopback';
import { HttpError } from './errors';

/**
 * The https-or-loopback rule: https anywhere, plain http (and ws) only to a loopback host
 * (RFC 8252 §8.3) unless insecure http was allowed explicitly (CL-13).
 */
export function assertSecureUrl(url: URL, allowInsecureHttp: boolean): void {
  if (url.protocol === 'https:' || url.protocol === 'wss:') return;
  if (url.protocol !== 'http:' && url.protocol !== 'ws:') throw new HttpError('invalid_url', `${url.protocol.replace(/:$/, '')} is not an http(s) URL`);
  if (isLoopbackHost(url.hostname) || allowInsecureHttp) return;
  throw new HttpError('insecure_url', `Refusing plain http to ${url.host}: tokens would travel unencrypted. Use https, or allow insecure http explicitly.`);
}

/** `url` as a URL object; a clear `invalid_url` error otherwise. */
export function parseUrl(url: string | URL): URL {
  if (url instanceof URL) return url;
  try {
    return new URL(url);
  } catch (error) {
    throw new HttpError('invalid_url', 'not a valid URL', { cause: error });
  }
}
