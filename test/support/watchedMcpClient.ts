import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

/** An MCP client that counts tools/list_changed and knows when its notification stream opened. */
export interface WatchedMcpClient {
  client: Client;
  changes: () => number;
  /** Resolves once the server has answered the standalone GET stream (server notifications can then arrive). */
  notificationStreamOpen: Promise<void>;
  /** Resolves at the next tools/list_changed. */
  nextChange: () => Promise<void>;
}

/** Connects an SDK client named `name` to the streamable HTTP endpoint `url` with `headers` (as an editor does with a provided definition). */
export async function connectWatchedMcpClient(url: string, headers: Record<string, string>, name: string): Promise<WatchedMcpClient> {
  let changes = 0;
  let changed: () => void = () => undefined;
  let streamOpened: () => void = () => undefined;
  const notificationStreamOpen = new Promise<void>((resolve) => (streamOpened = resolve));
  // Watches the client's own requests for the GET that opens the notification stream.
  const watchingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (init?.method === 'GET' && response.ok) streamOpened();
    return response;
  };
  const client = new Client({ name, version: '1' });
  client.setNotificationHandler('notifications/tools/list_changed', () => {
    changes += 1;
    changed();
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: watchingFetch, requestInit: { headers } }));
  return { client, changes: () => changes, notificationStreamOpen, nextChange: () => new Promise<void>((resolve) => (changed = resolve)) };
}
