import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { randomUUID } from 'node:crypto';
import WebSocket, { WebSocketServer } from 'ws';
import { ApiProblem } from './http';
import { Router, splitUrl } from './router';
import type { Principal } from './routes';
import { parseSql, runSql, SqlError, type SqlRecord } from './sqlQuery';
import type { EnvironmentRecord } from './state';
import { agentNotConnected, environmentNotFound, forbidden, unauthorized } from './problems';
import { webSocketText } from '../../test/support/webSocketText';

/**
 * The SQL WebSocket (`execute_sql`). Either path works:
 *   /api/v1/environments/{env}/proxy/api/ws/v2/sql/execute   (as HQ proxies it; what src/lenses/sql.ts uses)
 *   /api/ws/v2/sql/execute?environment={env}
 * The bearer goes in the handshake's Authorization header; a refused handshake gets a plain
 * HTTP problem answer (401/403/404/503) and the socket is closed. After the upgrade the client
 * sends {"sql": "…"}; the server answers {type: "RECORD", data: {key, value, metadata: {partition,
 * offset, timestamp}}} per row, then {type: "END"} — or {type: "ERROR", data: {message}} — and closes.
 */

const PROXY_PATH = '/api/v1/environments/:environment/proxy/api/ws/v2/sql/execute';
const DIRECT_PATH = '/api/ws/v2/sql/execute';
const IDLE_TIMEOUT_MS = 10_000;

export interface SqlSocketDependencies {
  authenticate(request: IncomingMessage): Promise<Principal | undefined>;
  findEnvironment(name: string): EnvironmentRecord | undefined;
}

export class SqlSocketEndpoint {
  private readonly router = new Router<'proxy' | 'direct'>();
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  constructor(private readonly dependencies: SqlSocketDependencies) {
    this.router.add('GET', PROXY_PATH, 'proxy');
    this.router.add('GET', DIRECT_PATH, 'direct');
  }

  /** True when the request is for the SQL socket (then it is answered, accepted or refused). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const [rawPath, rawQuery] = splitUrl(request.url ?? '/');
    let environmentName: string | null;
    try {
      const match = this.router.match('GET', rawPath);
      if (match.kind !== 'found') return false;
      environmentName = match.value === 'proxy' ? match.params.environment : new URLSearchParams(rawQuery).get('environment');
    } catch (error) {
      if (error instanceof ApiProblem && rawPath.includes('/ws/v2/sql/execute')) {
        refuse(socket, error);
        return true;
      }
      return false;
    }
    socket.on('error', () => socket.destroy());
    void this.accept(request, socket, head, environmentName);
    return true;
  }

  private async accept(request: IncomingMessage, socket: Duplex, head: Buffer, environmentName: string | null): Promise<void> {
    let environment: EnvironmentRecord;
    try {
      const principal = await this.dependencies.authenticate(request);
      if (!principal) throw unauthorized(request.headers.authorization !== undefined);
      if (!principal.scopes.has('read')) throw forbidden('read', principal);
      if (!environmentName)
        throw new ApiProblem(400, 'bad-request', 'Bad Request', 'Name the environment: ?environment=NAME', [{ field: 'environment', message: 'is required' }]);
      const found = this.dependencies.findEnvironment(environmentName);
      if (!found) throw environmentNotFound(environmentName);
      if (!found.agent.connected) throw agentNotConnected(environmentName);
      environment = found;
    } catch (error) {
      refuse(
        socket,
        error instanceof ApiProblem ? error : new ApiProblem(503, 'authentication-unavailable', 'Service Unavailable', 'The token could not be validated'),
      );
      return;
    }
    if (socket.destroyed) return;
    this.server.handleUpgrade(request, socket, head, (webSocket) => this.serve(webSocket, environment));
  }

  private serve(webSocket: WebSocket, environment: EnvironmentRecord): void {
    const idle = setTimeout(() => webSocket.close(1000, 'No query received'), IDLE_TIMEOUT_MS);
    idle.unref();
    webSocket.on('close', () => clearTimeout(idle));
    webSocket.on('error', () => webSocket.terminate());
    webSocket.once('message', (raw) => {
      clearTimeout(idle);
      const send = (frame: unknown) => webSocket.send(JSON.stringify(frame));
      let records: SqlRecord[];
      try {
        const sql = sqlOf(webSocketText(raw));
        if (!environment.agent.connected) throw new SqlError(`The agent of environment '${environment.name}' is not connected`);
        records = runSql(environment.data, parseSql(sql));
      } catch (error) {
        send({ type: 'ERROR', data: { message: error instanceof SqlError ? error.message : 'The query failed inside the emulator' } });
        webSocket.close(1000);
        return;
      }
      streamRecords(webSocket, records);
    });
  }
}

/** Records go out in batches, as HQ streams them: the client sees the first ones at once and can stop early. */
const BATCH = 200;
/** Waits while this much is queued on the socket (backpressure). */
const HIGH_WATER = 1024 * 1024;

function streamRecords(webSocket: WebSocket, records: readonly SqlRecord[]): void {
  let next = 0;
  const sendBatch = () => {
    if (webSocket.readyState !== WebSocket.OPEN) return;
    if (webSocket.bufferedAmount > HIGH_WATER) {
      setTimeout(sendBatch, 5);
      return;
    }
    const end = Math.min(records.length, next + BATCH);
    for (; next < end; next++) webSocket.send(JSON.stringify({ type: 'RECORD', data: records[next] }));
    if (next < records.length) {
      setImmediate(sendBatch);
      return;
    }
    webSocket.send(JSON.stringify({ type: 'END' }));
    webSocket.close(1000);
  };
  sendBatch();
}

function sqlOf(text: string): string {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw new SqlError('Send the query as JSON: {"sql": "SELECT …"}');
  }
  const sql = typeof message === 'object' && message !== null ? (message as { sql?: unknown }).sql : undefined;
  if (typeof sql !== 'string' || sql.trim() === '') throw new SqlError('Send the query as JSON: {"sql": "SELECT …"}');
  return sql;
}

/** Answers a refused handshake with an HTTP problem and closes the socket. */
function refuse(socket: Duplex, problem: ApiProblem): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(problem.body(randomUUID()));
  const headers = { ...problem.headers, 'Content-Type': 'application/problem+json', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' };
  const head = [
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(head.join('\r\n') + '\r\n\r\n' + body);
}
