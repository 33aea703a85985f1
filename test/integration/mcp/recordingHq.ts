import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { webSocketText } from '../../support/webSocketText';

/** One request as it reached the stand-in HQ. `WS` is a WebSocket handshake; its body is the first message. */
export interface RecordedRequest {
  method: string;
  /** The raw path, percent-encoding as sent. */
  path: string;
  /** The raw query string without `?` ('' when there is none). */
  query: string;
  /** The raw body ('' when none was sent). */
  body: string;
  authorization: string | undefined;
}

export interface RecordingHq {
  url: string;
  /** The requests received since the last call (and forgets them). */
  take(): RecordedRequest[];
  close(): Promise<void>;
}

/** GET answers shaped as HQ's lists (so list tools can read them); everything else gets `{}`. */
const LIST_ANSWERS: ReadonlyArray<[RegExp, unknown]> = [
  [/^\/api\/v1\/environments$/, { items: [] }],
  [/\/proxy\/api\/v1\/datasets$/, { datasets: { values: [], pagesAmount: 0, totalCount: 0 }, sourceTypes: [] }],
  [/\/proxy\/api\/v1\/approvals$/, { values: [], pagesAmount: 0, totalCount: 0 }],
  [/\/proxy\/api\/kafka-connect\/connectors$/, { connectors: [] }],
  [/\/proxy\/api\/v2\/streams$/, { processors: [] }],
  [/\/proxy\/api\/(topics|metadata\/topics|consumers(\/[^/]+)?)$/, []],
];

/**
 * A stand-in for Lenses HQ on 127.0.0.1 that records every request (HTTP and the SQL
 * WebSocket) and answers with an empty value of the right shape. It checks nothing: the
 * test compares what it recorded.
 */
export async function startRecordingHq(): Promise<RecordingHq> {
  let recorded: RecordedRequest[] = [];
  const record = (request: IncomingMessage, method: string, body: string) => {
    const [path, query = ''] = (request.url ?? '').split(/\?(.*)/s, 2);
    recorded.push({ method, path, query, body, authorization: request.headers.authorization });
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const method = request.method ?? '';
      record(request, method, Buffer.concat(chunks).toString('utf8'));
      const path = (request.url ?? '').split('?')[0];
      const answer = method === 'GET' ? (LIST_ANSWERS.find(([pattern]) => pattern.test(path))?.[1] ?? {}) : {};
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
    });
  });

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    sockets.handleUpgrade(request, socket, head, (ws) => {
      ws.once('message', (data) => {
        record(request, 'WS', webSocketText(data));
        ws.send(JSON.stringify({ type: 'END' }));
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    take: () => {
      const taken = recorded;
      recorded = [];
      return taken;
    },
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
