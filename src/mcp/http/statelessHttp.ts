import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport as StreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { sendError } from './httpResponses';
import type { McpSessionContext } from './mcpSessionContext';

/** MCP_STATELESS_HTTP: one server and transport per POST, JSON answers, nothing kept (replicas behind a load balancer). */
export async function handleStatelessRequest(context: McpSessionContext, request: IncomingMessage, response: ServerResponse, body: unknown): Promise<void> {
  if (request.method !== 'POST') return sendError(response, 405, 'Method not allowed: this server is stateless (POST only)', { Allow: 'POST' });
  const server = context.newServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  response.on('close', () => {
    void transport.close();
    void server.close();
  });
  await context.connect(server, transport);
  await transport.handleRequest(request, response, body);
}
