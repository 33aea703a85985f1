/** The Lenses MCP server: plain Node, no `vscode`. */
export * from './authentication';
export { startMcpHttpServer, type McpHttpServerOptions, type RunningMcpHttpServer } from './httpServer';
export { createLensesMcpServer, SERVER_NAME, toolsFor, type LensesMcpServerOptions, type ToolAccess } from './server';
export { LENSES_TOOLS, type LensesTool } from './tools';
export { LENSES_PROMPTS } from './prompts';
export { readConfig, ConfigError, VARIABLES, type ServerConfig } from './config';
