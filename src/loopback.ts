/**
 * True for host names that stay on this machine: `localhost`, `127.0.0.0/8`, `::1` (with or
 * without brackets). Plain http to them is safe (RFC 8252 §8.3), and a server bound to them
 * answers only them (DNS-rebinding protection).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
