import { type CallToolResult, Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { createLensesMcpServer, type LensesMcpServerOptions } from '../../../src/mcp/server';

/** A Lenses MCP server and an SDK client linked in memory (no HTTP): the unit tests' way to call tools. */
export async function connectInMemory(options: Omit<LensesMcpServerOptions, 'lensesUrl'> & { lensesUrl?: string }) {
  const server = createLensesMcpServer({ lensesUrl: 'http://hq.test', ...options });
  const client = new Client({ name: 'test', version: '1' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return { client, server };
}

/** All the text parts of a tool result, joined. */
export function allText(result: unknown): string {
  return (result as CallToolResult).content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}
