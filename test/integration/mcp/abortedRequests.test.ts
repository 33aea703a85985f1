import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { ApiKeyAuthenticator } from '../../../src/mcp/auth/apiKeyAuthenticator';
import { startMcpHttpServer, type RunningMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { MODERN_PROTOCOL_VERSION } from '../../../src/mcp/server';
import { connectClient } from './harness';
import { eventually } from '../../support/waiting';
import { RecordingLogger } from '../../support/recordingLogger';

const API_KEY = 'k'.repeat(24);

/** Sends the headers and the start of a body promised longer, then drops the connection. */
function cutOffRequest(url: string): Promise<void> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(
        `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 1000\r\n\r\n{"jsonrpc":`,
        () => setTimeout(() => socket.destroy(), 100),
      );
    });
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
}

describe('Requests the client aborts', function () {
  this.timeout(20_000);
  let silentHq: Server;
  let mcp: RunningMcpHttpServer | undefined;
  let logger: RecordingLogger;

  before(async () => {
    // An HQ that accepts connections and never answers: tool calls stay in flight.
    silentHq = createServer(() => {});
    await new Promise<void>((resolve) => silentHq.listen(0, '127.0.0.1', resolve));
  });
  beforeEach(async () => {
    logger = new RecordingLogger();
    mcp = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: `http://127.0.0.1:${(silentHq.address() as AddressInfo).port}`,
      authenticator: new ApiKeyAuthenticator(API_KEY),
      logger,
    });
  });
  afterEach(async () => {
    await mcp?.close();
    mcp = undefined;
  });
  after(async () => {
    silentHq.closeAllConnections();
    await new Promise<void>((resolve) => silentHq.close(() => resolve()));
  });

  it('a body the client stops sending is noted at debug level, not as a server error, and the server serves on', async () => {
    assert.ok(mcp);
    await cutOffRequest(mcp.url);
    assert.ok(await eventually(() => logger.at('debug').some((line) => line.includes('ended by the client'))), JSON.stringify(logger.lines));
    assert.deepEqual(logger.at('error', 'warn'), []);
    assert.deepEqual(
      logger.at('debug').filter((line) => line.includes('ended by the client')),
      ['MCP HTTP request POST /mcp ended by the client before it was answered (aborted)'],
    );
    const client = await connectClient(mcp.url, API_KEY);
    assert.ok((await client.listTools()).tools.length > 0);
    await client.close();
  });

  it('a 2026-07-28 tool call the client aborts while HQ is slow logs no error', async () => {
    assert.ok(mcp);
    const aborted = new AbortController();
    const call = fetch(mcp.url, {
      method: 'POST',
      signal: aborted.signal,
      headers: {
        Authorization: `Bearer ${API_KEY}`,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': MODERN_PROTOCOL_VERSION,
        'MCP-Method': 'tools/call',
        'MCP-Name': 'list_environments',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'list_environments',
          arguments: {},
          _meta: {
            'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL_VERSION,
            'io.modelcontextprotocol/clientInfo': { name: 'abort-test', version: '1' },
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      }),
    });
    setTimeout(() => aborted.abort(), 300);
    await assert.rejects(call, { name: 'AbortError' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(logger.at('error'), []);
  });
});
