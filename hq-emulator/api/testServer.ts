import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseScopes } from '../../src/scopes';
import { createLensesApi, type LensesApi, type Principal } from './index';

/**
 * A loopback server around `createLensesApi` with a fake `authenticate`: the bearer names
 * its scopes — "r" = read, "rw" = read write, "rwd" = all, "rd", "w", "d" likewise.
 * Requests go through node:http so raw paths (`..`, `%2F`) reach the server unnormalised.
 */

const TOKEN_SCOPES: Record<string, string> = { r: 'read', w: 'write', d: 'delete', rw: 'read write', rd: 'read delete', rwd: 'read write delete' };

export function fakeAuthenticate(request: IncomingMessage): Promise<Principal | undefined> {
  const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
  const scopes = match ? TOKEN_SCOPES[match[1]] : undefined;
  return Promise.resolve(scopes === undefined ? undefined : { subject: `user-${match?.[1]}@example.com`, scopes: new Set(parseScopes(scopes)), via: 'oauth' });
}

export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed body when it is JSON. */
  json: unknown;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestApi {
  api: LensesApi;
  baseUrl: string;
  port: number;
  /** How many times `onChange` was called. */
  readonly changes: number;
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  /** Shorthand for an agent route of `environment` (default dev). */
  agent(method: string, agentPath: string, options?: RequestOptions & { environment?: string }): Promise<TestResponse>;
  close(): Promise<void>;
}

export async function startTestApi(initialState?: unknown): Promise<TestApi> {
  let changes = 0;
  const api = createLensesApi({ authenticate: fakeAuthenticate, initialState, onChange: () => void changes++ });
  const server: Server = createServer((request, response) => {
    void api.handle(request, response).then((handled) => {
      if (!handled) response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not the Lenses API');
    });
  });
  server.on('upgrade', (request, socket, head) => {
    if (!api.handleUpgrade(request, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const request = (method: string, path: string, options: RequestOptions = {}) =>
    new Promise<TestResponse>((resolve, reject) => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
      const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      if (payload !== undefined && headers['Content-Type'] === undefined) headers['Content-Type'] = 'application/json';
      const outgoing = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
      });
      outgoing.on('error', reject);
      outgoing.end(payload);
    });

  return {
    api,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    get changes() {
      return changes;
    },
    request,
    agent: (method, agentPath, options = {}) => request(method, `/api/v1/environments/${options.environment ?? 'dev'}/proxy${agentPath}`, options),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Narrows a JSON body for assertions. */
export function body<T = Record<string, unknown>>(response: TestResponse): T {
  return response.json as T;
}
