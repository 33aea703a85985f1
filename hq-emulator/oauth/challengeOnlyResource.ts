import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http';

/** Where the stand-in publishes its RFC 9728 metadata. */
export type MetadataPlacement =
  /** Only at a private path named by `resource_metadata` in the 401 challenge; every well-known URI is 404. */
  | 'challenge'
  /** Only at the root well-known URI (its `resource` is then the origin, RFC 9728 §3.3); no `resource_metadata`. */
  | 'root';

export interface ChallengeOnlyResourceOptions {
  /** The authorization server (the HQ emulator) named in the metadata, and where tokens are introspected. */
  hqUrl: string;
  placement?: MetadataPlacement;
  /** `scope` of the 401 challenge; omitted = no scope parameter. */
  challengeScope?: string;
  /** RFC 9728 scopes_supported; omitted = not in the metadata. */
  scopesSupported?: string[];
  /** Scopes a `tools/call` needs; a token without them gets 403 insufficient_scope naming only these (2026-07-28: no repetition of held scopes). */
  toolCallNeeds?: string[];
  /** Scopes even `initialize` needs (a server that refuses to connect without them), answered like `toolCallNeeds`. */
  initializeNeeds?: string[];
}

export interface RecordedResourceRequest {
  method: string;
  path: string;
  authorized: boolean;
}

export interface ChallengeOnlyResource {
  /** http://127.0.0.1:PORT/mcp */
  mcpUrl: string;
  origin: string;
  requests: RecordedResourceRequest[];
  close(): Promise<void>;
}

/**
 * A stand-in for a remote MCP server whose protected-resource metadata is found only the
 * way the spec names first: through `resource_metadata` in the `WWW-Authenticate` of the
 * 401 to a POST (GET /mcp is 405, as the SDK's stateless server answers; every well-known
 * URI is 404). Tokens are checked by the HQ emulator's unauthenticated introspection.
 * `placement: 'root'` serves the metadata at the root well-known URI only instead.
 */
export async function startChallengeOnlyResource(options: ChallengeOnlyResourceOptions): Promise<ChallengeOnlyResource> {
  const placement = options.placement ?? 'challenge';
  const requests: RecordedResourceRequest[] = [];
  let origin = '';
  const metadataPath = '/private/resource-metadata-of-mcp';

  const challenge = (extra: string[]) => {
    const params = [...extra];
    if (placement === 'challenge') params.push(`resource_metadata="${origin}${metadataPath}"`);
    if (options.challengeScope !== undefined) params.push(`scope="${options.challengeScope}"`);
    return `Bearer ${params.join(', ')}`.trim();
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    requests.push({ method: request.method ?? '', path, authorized: bearer !== undefined });

    const wantsMetadata = (placement === 'challenge' && path === metadataPath) || (placement === 'root' && path === '/.well-known/oauth-protected-resource');
    if (request.method === 'GET' && wantsMetadata) {
      const resource = placement === 'root' ? origin : `${origin}/mcp`;
      sendJson(response, 200, {
        resource,
        authorization_servers: [options.hqUrl],
        ...(options.scopesSupported ? { scopes_supported: options.scopesSupported } : {}),
      });
      return;
    }
    if (path !== '/mcp') {
      sendJson(response, 404, { error: 'not_found' });
      return;
    }
    if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const message = JSON.parse((await readBody(request)).toString('utf8') || '{}') as { id?: unknown; method?: string };
    const held = bearer ? await introspectedScopes(options.hqUrl, bearer) : undefined;
    if (!held) {
      response.writeHead(401, { 'www-authenticate': challenge(bearer ? ['error="invalid_token"'] : []) }).end();
      return;
    }
    const needs = message.method === 'tools/call' ? options.toolCallNeeds : message.method === 'initialize' ? options.initializeNeeds : undefined;
    const missing = (needs ?? []).filter((scope) => !held.includes(scope));
    if (missing.length > 0) {
      const params = ['error="insufficient_scope"', `scope="${missing.join(' ')}"`];
      if (placement === 'challenge') params.push(`resource_metadata="${origin}${metadataPath}"`);
      response.writeHead(403, { 'www-authenticate': `Bearer ${params.join(', ')}` }).end();
      return;
    }
    sendJson(response, 200, { jsonrpc: '2.0', id: message.id ?? null, result: {} });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    mcpUrl: `${origin}/mcp`,
    origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function introspectedScopes(hqUrl: string, token: string): Promise<string[] | undefined> {
  const answer = await fetch(`${hqUrl}/oauth2/introspect`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
  });
  const info = (await answer.json()) as { active?: boolean; scope?: string };
  return info.active === true ? (info.scope ?? '').split(' ').filter(Boolean) : undefined;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
