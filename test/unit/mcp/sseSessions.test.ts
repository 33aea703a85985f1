import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Server } from '@modelcontextprotocol/server';
import { silentLogger } from '../../../src/log';
import { DEFAULT_SESSION_LIMITS, SessionRegistry } from '../../../src/mcp/http/sessionRegistry';
import { SseSessions } from '../../../src/mcp/http/sseSessions';
import type { SseServerTransport } from '../../../src/mcp/http/sseTransport';

describe('HTTP+SSE sessions', () => {
  it('RS-28 a client that hangs up while its session is being set up leaves no session behind', async () => {
    const registry = new SessionRegistry<SseServerTransport>(DEFAULT_SESSION_LIMITS, silentLogger, Date.now);
    const response = new ServerResponse(new IncomingMessage(new Socket()));
    const sessions = new SseSessions(
      {
        newServer: () => new Server({ name: 'test', version: '1' }, { capabilities: {} }),
        newSessionId: () => 'session-1',
        // The client goes away while the server connects.
        connect: async (server, transport) => {
          await server.connect(transport);
          response.destroy();
        },
        logger: silentLogger,
        now: Date.now,
      },
      registry,
    );
    await sessions.open(response, { kind: 'granted', token: 't', scopes: new Set(['read']) }, undefined);
    assert.equal(registry.size, 0);
  });
});
