/**
 * A loopback HTTP proxy in front of the HQ emulator that counts what the server asks HQ for:
 * requests and response bytes per path. The bench puts it between the bin and HQ to show how
 * often a page walk fetches HQ's whole list.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

export interface CountingProxy {
  url: string;
  /** Requests and response bytes for paths that end with `pathSuffix`, since the last reset. */
  count(pathSuffix: string): { requests: number; bytes: number };
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(targetUrl: string): Promise<CountingProxy> {
  const target = new URL(targetUrl);
  let seen: Array<{ path: string; bytes: number }> = [];
  const server: Server = createServer((incoming, outgoing) => {
    const path = (incoming.url ?? '/').split('?')[0];
    const forwarded = httpRequest(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
      (answer) => {
        let bytes = 0;
        answer.on('data', (chunk: Buffer) => (bytes += chunk.length));
        answer.on('end', () => seen.push({ path, bytes }));
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  // WebSocket upgrades (SQL) pass through uncounted: the raw head, then both directions piped.
  server.on('upgrade', (incoming, socket, head: Buffer) => {
    const upstream = connect(Number(target.port), target.hostname, () => {
      const headers = Object.entries({ ...incoming.headers, host: target.host }).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value ?? '']).map((one) => `${name}: ${one}`),
      );
      upstream.write(`${incoming.method} ${incoming.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: (pathSuffix) => {
      const matching = seen.filter((entry) => entry.path.endsWith(pathSuffix));
      return { requests: matching.length, bytes: matching.reduce((sum, entry) => sum + entry.bytes, 0) };
    },
    reset: () => {
      seen = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
