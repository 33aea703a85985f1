import { ALL_SCOPES, parseScopes, type Scope } from '../scopes';

/** The `lenses.*` settings, read once per use (they can change at any time). */
export interface LensesSettings {
  /** HQ base URL without trailing slash; "" when unset. */
  url: string;
  scopes: Scope[];
  clientId: string;
  allowInsecureHttp: boolean;
  /** A remote Lenses MCP server to use instead of the embedded one; "" when unset. */
  mcpUrl: string;
}

/** The one method of `WorkspaceConfiguration` needed to read settings. */
export interface ConfigurationReader {
  get<T>(section: string): T | undefined;
}

export const SETTING = {
  url: 'lenses.url',
  scopes: 'lenses.oauth.scopes',
  clientId: 'lenses.oauth.clientId',
  allowInsecureHttp: 'lenses.allowInsecureHttp',
  mcpUrl: 'lenses.mcp.url',
} as const;

/** Reads the settings from a configuration scoped at the root (`getConfiguration()`). */
export function readSettings(config: ConfigurationReader): LensesSettings {
  const scopes = parseScopes(config.get<string[]>(SETTING.scopes));
  return {
    url: (config.get<string>(SETTING.url) ?? '').trim().replace(/\/+$/, ''),
    scopes: scopes.length > 0 ? scopes : [...ALL_SCOPES],
    clientId: (config.get<string>(SETTING.clientId) ?? '').trim(),
    allowInsecureHttp: config.get<boolean>(SETTING.allowInsecureHttp) === true,
    mcpUrl: (config.get<string>(SETTING.mcpUrl) ?? '').trim(),
  };
}
