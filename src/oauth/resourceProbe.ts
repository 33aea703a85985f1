import { request, type BearerOrigins } from '../http';
import { parseBearerChallenge, type BearerChallenge } from './challenge';
import { initializeRequest, MCP_PROTOCOL_VERSION } from './discovery';

/** What an MCP server answered to an `initialize` POST. */
export interface ResourceProbeAnswer {
  status: number;
  /** The raw `WWW-Authenticate` of a 401/403, and its Bearer challenge. */
  header?: string;
  challenge?: BearerChallenge;
}

export interface ResourceProbeOptions {
  /** Sent only where `origins` allows (CL-16). */
  bearer?: { token: string; origins: BearerOrigins };
  fetch?: typeof fetch;
  allowInsecureHttp?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * One MCP `initialize` POST to a remote server through the HTTP core, with or without a
 * bearer: its 401 or 403 `WWW-Authenticate` is what the extension can see of the server's
 * challenges (VS Code's own MCP client makes every other request).
 */
export async function probeResource(mcpUrl: string, options: ResourceProbeOptions = {}): Promise<ResourceProbeAnswer> {
  const answer = await request(
    mcpUrl,
    {
      method: 'POST',
      headers: { Accept: 'application/json, text/event-stream', 'Content-Type': 'application/json', 'MCP-Protocol-Version': MCP_PROTOCOL_VERSION },
      body: JSON.stringify(initializeRequest()),
    },
    {
      fetch: options.fetch,
      allowInsecureHttp: options.allowInsecureHttp,
      timeoutMs: options.timeoutMs ?? 15_000,
      signal: options.signal,
      bearer: options.bearer,
      maxResponseBytes: 256 * 1024,
    },
  );
  // A stateful server opened a session for the probe: close it rather than leave it to time out.
  const sessionId = answer.ok ? answer.headers.get('mcp-session-id') : null;
  if (sessionId) {
    await request(
      mcpUrl,
      { method: 'DELETE', headers: { 'Mcp-Session-Id': sessionId, 'MCP-Protocol-Version': MCP_PROTOCOL_VERSION } },
      {
        fetch: options.fetch,
        allowInsecureHttp: options.allowInsecureHttp,
        timeoutMs: 5_000,
        signal: options.signal,
        bearer: options.bearer,
        maxResponseBytes: 64 * 1024,
      },
    ).catch(() => undefined);
  }
  const header = answer.status === 401 || answer.status === 403 ? (answer.headers.get('www-authenticate') ?? undefined) : undefined;
  return { status: answer.status, header, challenge: parseBearerChallenge(header) };
}
