import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { NEWEST_LENSES_VERSION, type LensesVersion } from '../src/lenses/contract';
import { silentLogger, type Logger } from '../src/log';
import { createLensesApi, type LensesApi } from './api/index';
import { createAuthorizationServer, type AuthorizationServer, type AuthorizationServerModes, type PreRegisteredClient } from './oauth/authorizationServer';
import { createAuthenticator } from './oauth/bearer';
import { handleConnectedApps } from './oauth/connectedApps';
import { readDataFile, writeDataFile } from './oauth/dataFile';
import { sendProblem } from './oauth/http';
import { OAuthStore } from './oauth/store';

export interface HqOptions {
  /** Default 9991; 0 = ephemeral (tests). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Access-token lifetime, default 3600. */
  tokenTtlSeconds?: number;
  /** The static API key (all scopes); default: the one in `dataFile`, else a random one (see `RunningHq.apiKey`). */
  apiKey?: string;
  /** Keeps OAuth clients, grants, tokens and the API state across restarts. */
  dataFile?: string;
  logger?: Logger;
  /** Open dynamic client registration; default true. false = "DCR disabled". */
  dcr?: boolean;
  /** Clients registered by configuration (registration method "api"). */
  preRegisteredClients?: PreRegisteredClient[];
  /** Behaviours of other authorization servers (unasked DCR secret, CIMD, OIDC-only discovery, client auth methods). */
  oauthModes?: AuthorizationServerModes;
  /** Seed a `prod` environment of this many topics (api/scale.ts); ignored when `dataFile` holds state. */
  scale?: number;
  /** Which Lenses version's published answers to serve (src/lenses/contract); default the newest. */
  lensesVersion?: LensesVersion;
}

export interface RunningHq {
  /** http://127.0.0.1:PORT — the issuer and the Lenses API base URL. */
  url: string;
  /** The Lenses version whose published answers it serves. */
  lensesVersion: LensesVersion;
  apiKey: string;
  close(): Promise<void>;
  /** Test hook: RFC 7662 introspection of any token as the resource server sees it (unauthenticated POST). */
  introspect(token: string): Promise<Record<string, unknown>>;
}

/**
 * Starts the Lenses HQ emulator: one HTTP server with the Lenses API, the
 * connected-applications routes and the OAuth authorization server (in that order).
 */
export async function startHq(options: HqOptions = {}): Promise<RunningHq> {
  const logger = options.logger ?? silentLogger;
  const lensesVersion = options.lensesVersion ?? NEWEST_LENSES_VERSION;
  const data = options.dataFile ? readDataFile(options.dataFile) : {};
  const apiKey = options.apiKey ?? data.apiKey ?? `hq_${randomBytes(18).toString('base64url')}`;

  // HTTP listens before the API exists (the issuer URL needs the port): `ready` is filled once
  // it does, and until then requests get 503 and upgrades are refused.
  const ready: { api?: LensesApi; route?: (request: IncomingMessage, response: ServerResponse) => Promise<void> } = {};
  let saveTimer: NodeJS.Timeout | undefined;
  const save = () => {
    if (options.dataFile && ready.api) writeDataFile(options.dataFile, { oauth: store.snapshot(), api: ready.api.snapshot(), apiKey });
  };
  const scheduleSave = () => {
    if (!options.dataFile || saveTimer) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      save();
    }, 50);
    saveTimer.unref();
  };
  const store = new OAuthStore(Date.now, scheduleSave);
  if (data.oauth) store.restore(data.oauth);

  const server = createServer((request, response) => {
    logger.debug(`HQ: ${request.method} ${new URL(request.url ?? '/', 'http://x').pathname}`);
    const { route } = ready;
    if (!route) {
      sendProblem(response, 503, 'Service Unavailable', 'HQ is starting.');
      return;
    }
    route(request, response).catch((error: unknown) => {
      logger.error(error instanceof Error ? error : String(error));
      if (!response.headersSent) sendProblem(response, 500, 'Internal Server Error');
      else response.destroy();
    });
  });
  // Upgraded sockets (the SQL WebSocket) leave HTTP's bookkeeping: close() ends them itself.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (request, socket, head) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    if (!ready.api?.handleUpgrade(request, socket, head)) socket.destroy();
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9991, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(host)}:${port}`;

  let oauth: AuthorizationServer;
  try {
    oauth = await createAuthorizationServer({
      issuer: url,
      tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
      dcr: options.dcr ?? true,
      preRegisteredClients: options.preRegisteredClients ?? [],
      store,
      logger,
      modes: options.oauthModes,
    });
  } catch (error) {
    server.close();
    throw error;
  }
  const authenticate = createAuthenticator(apiKey, oauth);
  const lensesApi = createLensesApi({ authenticate, initialState: data.api, scale: options.scale, onChange: scheduleSave });
  ready.api = lensesApi;
  ready.route = async (request, response) => {
    if (await lensesApi.handle(request, response)) return;
    if (await handleConnectedApps(oauth, authenticate, request, response, lensesVersion)) return;
    await oauth.handle(request, response);
  };
  logger.info(`HQ: listening on ${url}`);

  async function introspect(token: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${url}/oauth2/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
    return (await response.json()) as Record<string, unknown>;
  }

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      if (saveTimer) clearTimeout(saveTimer);
      saveTimer = undefined;
      save();
      // A short pause lets an in-process fetch see its kept-alive sockets closed; without it a
      // restart on the same port met "UND_ERR_SOCKET other side closed" on the first request.
      server.close(() => setTimeout(resolve, 10));
      server.closeAllConnections();
      for (const socket of upgraded) socket.destroy();
    });
    return closing;
  }

  return { url, lensesVersion, apiKey, close, introspect };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
