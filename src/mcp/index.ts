/** The Lenses MCP server: plain Node, no `vscode`. */
export type { RequestAuthentication, RequestAuthenticator } from './authentication';
export { ApiKeyAuthenticator } from './apiKeyAuthenticator';
export {
  EmbeddedAuthenticator,
  LINK_SECRET_HEADER,
  SIGNED_OUT_MESSAGE,
  type EmbeddedSession,
  type SessionRejection,
  type SessionSource,
} from './embeddedAuthenticator';
export { OAuthResourceServerAuthenticator, type OAuthResourceServerOptions } from './oauthResourceServer';
export {
  IntrospectionBusyError,
  IntrospectionRefusedError,
  IntrospectionUnavailableError,
  TokenIntrospector,
  type IntrospectionAnswer,
  type TokenIntrospectorOptions,
} from './introspection';
export { introspectionEndpointFromMetadata } from './introspectionEndpoint';
export { startMcpHttpServer, type McpHttpServerOptions, type RunningMcpHttpServer } from './httpServer';
export { createLensesMcpServer, SERVER_NAME, toolsFor, type LensesMcpServerOptions, type ToolAccess } from './server';
export { LENSES_TOOLS, type LensesTool } from './tools';
export { LENSES_PROMPTS } from './prompts';
export { readConfig, ConfigError, VARIABLES, type ServerConfig } from './config';
