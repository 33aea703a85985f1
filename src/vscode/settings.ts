import { DEFAULT_MAX_TOOL_OUTPUT_CHARS, MAX_TOOL_OUTPUT_CHARS, MIN_TOOL_OUTPUT_CHARS } from '../mcp/tools/answer';
import { ALL_SCOPES, parseScopes, type Scope } from '../scopes';

/** The `lenses.*` settings, read once per use (they can change at any time). */
export interface LensesSettings {
  /** HQ base URL without trailing slash; "" when unset. */
  url: string;
  scopes: Scope[];
  clientId: string;
  /** An https Client ID Metadata Document URL used as client ID where the AS takes one; "" when unset. */
  clientMetadataUrl: string;
  allowInsecureHttp: boolean;
  /** A remote Lenses MCP server to use instead of the embedded one; "" when unset. */
  mcpUrl: string;
  /** Most characters of text per answer of the embedded server's tools. */
  maxToolOutputChars: number;
}

/** The one method of `WorkspaceConfiguration` needed to read settings. */
export interface ConfigurationReader {
  get<T>(section: string): T | undefined;
}

export const SETTING = {
  url: 'lenses.url',
  scopes: 'lenses.oauth.scopes',
  clientId: 'lenses.oauth.clientId',
  clientMetadataUrl: 'lenses.oauth.clientMetadataUrl',
  allowInsecureHttp: 'lenses.allowInsecureHttp',
  mcpUrl: 'lenses.mcp.url',
  maxToolOutputChars: 'lenses.mcp.maxToolOutputChars',
} as const;

/** Reads the settings from a configuration scoped at the root (`getConfiguration()`). */
export function readSettings(config: ConfigurationReader): LensesSettings {
  const scopes = parseScopes(config.get<string[]>(SETTING.scopes));
  return {
    url: (config.get<string>(SETTING.url) ?? '').trim().replace(/\/+$/, ''),
    scopes: scopes.length > 0 ? scopes : [...ALL_SCOPES],
    clientId: (config.get<string>(SETTING.clientId) ?? '').trim(),
    clientMetadataUrl: (config.get<string>(SETTING.clientMetadataUrl) ?? '').trim(),
    allowInsecureHttp: config.get<boolean>(SETTING.allowInsecureHttp) === true,
    mcpUrl: (config.get<string>(SETTING.mcpUrl) ?? '').trim(),
    maxToolOutputChars: outputBudget(config.get<number>(SETTING.maxToolOutputChars)),
  };
}

/** The answer budget setting, clamped to the range the server accepts (a bad value means the default). */
function outputBudget(value: number | undefined): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) return DEFAULT_MAX_TOOL_OUTPUT_CHARS;
  return Math.min(MAX_TOOL_OUTPUT_CHARS, Math.max(MIN_TOOL_OUTPUT_CHARS, value));
}

/**
 * Why `url` cannot be a Lenses HQ URL, or undefined when it can: an absolute `http(s)://`
 * URL with a host (the same rule as the settings' `pattern` in package.json).
 */
export function lensesUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not an absolute URL (expected e.g. https://lenses.example.com)`;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `"${url}" uses ${parsed.protocol} (expected http:// or https://)`;
  if (!parsed.hostname) return `"${url}" has no host name`;
  return undefined;
}

/** The origin of a configured URL, for messages ("Lenses HQ at https://hq.example.com"); the text itself when it is no URL. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * `lenses.url` as the extension uses it: the address in use changes only when the settings
 * change handler accepts a new value, once the setting has held it for a moment and it is a
 * URL. While the field is being retyped (the Settings editor saves each pause: empty, `h`,
 * `https://l`, …) the address in use stays, so the session, the tools and the views stay.
 * Until a URL was seen, the setting is used as it is (empty: Sign In asks for the address).
 */
export class SettledLensesUrl {
  private inUse: string | undefined;

  /** `settings` with `url` replaced by the address in use. */
  settle(settings: LensesSettings): LensesSettings {
    if (this.inUse === undefined) {
      if (lensesUrlProblem(settings.url) === undefined) this.inUse = settings.url;
      return settings;
    }
    return { ...settings, url: this.inUse };
  }

  /** Takes `url` (the setting's value now) as the address in use when it is a URL; true when that changed it. */
  accept(url: string): boolean {
    if (lensesUrlProblem(url) !== undefined || url === this.inUse) return false;
    this.inUse = url;
    return true;
  }
}
