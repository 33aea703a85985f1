// The MCP server's half of the extension, bundled on its own (dist/mcpServerChunk.js) and
// loaded on first use through mcpServerLoader.ts: activation does not pay for the SDK, hono, zod
// and the 45 tool definitions (whose cards and listings are precomputed in the chunk). Only plain data and handles cross this boundary (each bundle
// has its own copy of the classes they share, so `instanceof` does not hold across it).
export { startMcpHttpServer } from '../../mcp/http/httpServer';
export { lensesToolCatalog } from '../../mcp/toolCatalog';
