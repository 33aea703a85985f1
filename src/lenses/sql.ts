import type WebSocket from 'ws';
import { HttpError, networkFailureReason, preparedHeaders } from '../http';
import { connectionErrorOf, LensesApiError, LensesConnectionError } from './errors';
import type { LensesClient } from './client';

/** ws, and with it node:http, loads with the first SQL query rather than at the server's start. */
function webSocketClass(): typeof WebSocket {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- bundled, but initialized only when called
  return require('ws') as typeof WebSocket;
}

export interface SqlExecutionOptions {
  /** Called for every RECORD frame with the running count (progress notifications). */
  onRecord?(count: number): void;
  signal?: AbortSignal;
  /** Whole-query timeout; default the client's timeout. */
  timeoutMs?: number;
  /** Stop reading after this many records (the answer says it was truncated). */
  maxRecords?: number;
}

export interface SqlExecutionResult {
  records: unknown[];
  /** True when `maxRecords` cut the stream short. */
  truncated: boolean;
}

const DEFAULT_MAX_RECORDS = 1000;

interface SqlFrame {
  type?: unknown;
  data?: unknown;
}

/**
 * Runs one Lenses SQL statement over HQ's SQL WebSocket (`/api/ws/v2/sql/execute`
 * behind the environment proxy): sends `{"sql"}`, collects RECORD frames until END,
 * and turns an ERROR frame into a `LensesApiError`. The bearer goes in the handshake,
 * under the HTTP core's rules (https or loopback, the client's bearer origins, no redirect).
 */
export async function executeSql(client: LensesClient, environment: string, sql: string, options: SqlExecutionOptions = {}): Promise<SqlExecutionResult> {
  const httpUrl = new URL(client.baseUrl + client.environmentPath(environment, '/api/ws/v2/sql/execute'));
  httpUrl.protocol = httpUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = await client.currentToken();
  const timeoutMs = options.timeoutMs ?? client.timeoutMs;
  const maxRecords = options.maxRecords ?? DEFAULT_MAX_RECORDS;
  let headers: Record<string, string>;
  try {
    headers = preparedHeaders(httpUrl, undefined, { allowInsecureHttp: client.allowInsecureHttp, bearer: { token, origins: client.bearerOrigins } });
  } catch (error) {
    if (error instanceof HttpError) throw connectionErrorOf(error, 'the SQL query', timeoutMs);
    throw error;
  }

  return new Promise<SqlExecutionResult>((resolve, reject) => {
    const WebSocketClient = webSocketClass();
    const socket = new WebSocketClient(httpUrl, { headers, handshakeTimeout: timeoutMs, maxPayload: 16 * 1024 * 1024, followRedirects: false });
    const records: unknown[] = [];
    let settled = false;
    const finish = (error: Error | undefined, truncated = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners();
      socket.on('error', () => {});
      if (socket.readyState === WebSocketClient.OPEN || socket.readyState === WebSocketClient.CONNECTING) socket.terminate();
      if (error) reject(error);
      else resolve({ records, truncated });
    };
    const onAbort = () => finish(new LensesConnectionError('The SQL query was cancelled'));
    const timer = setTimeout(() => finish(new LensesConnectionError(`The SQL query did not finish within ${timeoutMs} ms`)), timeoutMs);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    socket.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 502;
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (text.length < 4096) text += chunk;
      });
      response.on('end', () => finish(new LensesApiError(status, response.statusMessage ?? 'Error', text.trim() || undefined, undefined, [], undefined)));
      response.on('error', () => finish(new LensesApiError(status, response.statusMessage ?? 'Error', undefined, undefined, [], undefined)));
    });
    socket.on('error', (error) => finish(new LensesConnectionError(`Could not run SQL on Lenses HQ (${networkFailureReason(error)})`, { cause: error })));
    socket.on('open', () => socket.send(JSON.stringify({ sql })));
    socket.on('close', () => finish(new LensesConnectionError('Lenses closed the SQL connection before the query ended')));
    socket.on('message', (raw) => {
      let frame: SqlFrame;
      try {
        frame = JSON.parse(messageText(raw)) as SqlFrame;
      } catch {
        return finish(new LensesConnectionError('Lenses sent a SQL frame that is not JSON'));
      }
      switch (frame.type) {
        case 'RECORD':
          records.push(frame.data);
          options.onRecord?.(records.length);
          if (records.length >= maxRecords) finish(undefined, true);
          return;
        case 'END':
          return finish(undefined);
        case 'ERROR':
          return finish(new LensesApiError(400, 'SQL error', describeSqlError(frame.data), undefined, [], undefined));
        default:
          return; // STATS, SCHEMA and other informational frames
      }
    });
  });
}

/** The text of a WebSocket message, whichever of ws's buffer shapes it arrived in. */
function messageText(raw: WebSocket.RawData): string {
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw).toString('utf8');
}

function describeSqlError(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    for (const key of ['message', 'detail', 'error']) {
      const value = record[key];
      if (typeof value === 'string') return value;
    }
  }
  return JSON.stringify(data);
}
