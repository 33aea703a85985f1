import { isScope, parseScopes, type Scope } from '../scopes';
import { allowedHostName } from './httpGuards';
import { DEFAULT_SESSION_LIMITS } from './sessionRegistry';

const MAX_SESSIONS = String(DEFAULT_SESSION_LIMITS.maxSessions);
const MAX_SESSIONS_PER_USER = String(DEFAULT_SESSION_LIMITS.maxSessionsPerSubject);
import { DEFAULT_MAX_TOOL_OUTPUT_CHARS, MAX_TOOL_OUTPUT_CHARS, MIN_TOOL_OUTPUT_CHARS } from './tools/answer';
import { GOVERNANCE_VARIABLES, GovernanceConfigError, readGovernanceConfig, type GovernanceConfig } from './governance';

/** The standalone server's settings, read from the environment contract of the official server. */
export interface ServerConfig extends GovernanceConfig {
  lensesUrl: string;
  lensesAdvertisedUrl: string;
  apiKey?: string;
  oauthEnabled: boolean;
  mcpAdvertisedUrl?: string;
  scopes: Scope[];
  transport: 'stdio' | 'http';
  host: string;
  port: number;
  /** `MCP_ALLOWED_HOSTS`: host names accepted in Host and Origin besides loopback ones and the advertised host. */
  allowedHosts: string[];
  introspectionUrl: string;
  introspectionCacheTtlSeconds: number;
  /** `LENSES_TIMEOUT_SECONDS`: how long one HQ call may take. */
  hqTimeoutSeconds: number;
  maxSessions: number;
  maxSessionsPerUser: number;
  stateless: boolean;
  logLevel: LogLevel;
  /** LENSES_MAX_TOOL_OUTPUT_CHARS: most characters of text per tool answer. */
  maxToolOutputChars: number;
}

export type LogLevel = 'info' | 'debug' | 'trace';

/** A missing or bad variable: the message is the one line the bin prints. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface VariableDoc {
  name: string;
  default: string;
  description: string;
}

/** Every variable the bin reads, with its default (printed by --help); `readConfig` reads no other. */
export const VARIABLES: readonly VariableDoc[] = [
  { name: 'LENSES_URL', default: 'http://localhost:9991', description: 'Lenses HQ URL the server calls (internal URL in a split plane).' },
  { name: 'LENSES_API_KEY', default: '(none; required when OAuth is off)', description: 'Lenses API key, sent to HQ as a bearer token.' },
  { name: 'LENSES_TIMEOUT_SECONDS', default: '30', description: 'Seconds one HQ call (or one SQL query) may take before the tool reports a timeout.' },
  { name: 'OAUTH_ENABLED', default: 'false', description: 'true/1/yes: OAuth 2.1 resource-server mode (HTTP only).' },
  { name: 'MCP_ADVERTISED_URL', default: '(none; required with OAuth)', description: 'Public base URL of this server; the resource is this + /mcp, and its host is accepted in Host and Origin.' },
  { name: 'LENSES_ADVERTISED_URL', default: 'LENSES_URL', description: 'Public HQ URL advertised as the authorization server.' },
  { name: 'MCP_SCOPES', default: 'read,write,delete', description: 'Scopes advertised and asked for in challenges.' },
  { name: 'TRANSPORT', default: 'http with OAuth, else stdio', description: 'stdio or http (streamable HTTP at /mcp).' },
  { name: 'HOST', default: '0.0.0.0', description: 'HTTP bind address.' },
  { name: 'PORT', default: '8000', description: 'HTTP port.' },
  { name: 'MCP_ALLOWED_HOSTS', default: '(none)', description: 'Comma list of host names clients use to reach this server, accepted in Host and Origin besides loopback names and the host of MCP_ADVERTISED_URL; any other gets 403 (DNS-rebinding protection, on every bind address).' },
  { name: 'INTROSPECTION_URL', default: '{LENSES_URL}/oauth2/introspect', description: 'RFC 7662 endpoint (never discovered from the advertised issuer).' },
  { name: 'INTROSPECTION_CACHE_TTL', default: '0', description: '0: every request is validated with HQ (requests with one token share one introspection that started after they arrived). Above 0: seconds an active answer is reused, never past the token expiry.' },
  { name: 'MCP_MAX_SESSIONS', default: MAX_SESSIONS, description: 'Open MCP sessions at most; past it the session idle longest (over a minute) is closed, else new sessions get 503.' },
  { name: 'MCP_MAX_SESSIONS_PER_USER', default: MAX_SESSIONS_PER_USER, description: 'Open MCP sessions per OAuth user (subject); past it that user\'s session idle longest is closed.' },
  { name: 'MCP_STATELESS_HTTP', default: 'false', description: 'true: no MCP sessions (replicas behind a load balancer).' },
  { name: 'LENSES_MAX_TOOL_OUTPUT_CHARS', default: String(DEFAULT_MAX_TOOL_OUTPUT_CHARS), description: `Most characters of text per tool answer (${MIN_TOOL_OUTPUT_CHARS}-${MAX_TOOL_OUTPUT_CHARS}); longer lists are cut at whole items with a note on how to page.` },
  ...GOVERNANCE_VARIABLES,
  { name: 'LOG_LEVEL', default: 'info', description: 'info, debug or trace (logs go to stderr; tokens only as fingerprints).' },
];

const KNOWN_VARIABLES = new Set(VARIABLES.map((variable) => variable.name));

/** Reads and checks the environment; throws `ConfigError` naming the first bad variable. */
export function readConfig(env: Readonly<Record<string, string | undefined>>): ServerConfig {
  const value = (name: string) => {
    // A variable read here but missing from VARIABLES would be missing from --help and the README.
    if (!KNOWN_VARIABLES.has(name)) throw new Error(`${name} is read but not documented in VARIABLES`);
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const lensesUrl = httpUrl('LENSES_URL', value('LENSES_URL') ?? 'http://localhost:9991');
  const oauthEnabled = flag('OAUTH_ENABLED', value('OAUTH_ENABLED'));
  const stateless = flag('MCP_STATELESS_HTTP', value('MCP_STATELESS_HTTP'));
  const transport = value('TRANSPORT') ?? (oauthEnabled ? 'http' : 'stdio');
  if (transport !== 'stdio' && transport !== 'http') throw new ConfigError(`TRANSPORT must be "stdio" or "http", not "${transport}"`);
  const scopes = scopeList(value('MCP_SCOPES'));
  const apiKey = value('LENSES_API_KEY');
  const advertised = value('MCP_ADVERTISED_URL');
  const mcpAdvertisedUrl = advertised === undefined ? undefined : httpUrl('MCP_ADVERTISED_URL', advertised);
  if (oauthEnabled) {
    if (transport !== 'http') throw new ConfigError('TRANSPORT must be "http" when OAUTH_ENABLED is on (OAuth needs HTTP)');
    if (!mcpAdvertisedUrl) throw new ConfigError('MCP_ADVERTISED_URL is required when OAUTH_ENABLED is on (the public URL of this server)');
  } else if (!apiKey) {
    throw new ConfigError('LENSES_API_KEY is required when OAUTH_ENABLED is off');
  }
  const port = integer('PORT', value('PORT') ?? '8000', 0, 65535);
  return {
    lensesUrl,
    lensesAdvertisedUrl: httpUrl('LENSES_ADVERTISED_URL', value('LENSES_ADVERTISED_URL') ?? lensesUrl),
    apiKey,
    oauthEnabled,
    mcpAdvertisedUrl,
    scopes,
    transport,
    host: value('HOST') ?? '0.0.0.0',
    port,
    allowedHosts: hostList('MCP_ALLOWED_HOSTS', value('MCP_ALLOWED_HOSTS')),
    introspectionUrl: httpUrl('INTROSPECTION_URL', value('INTROSPECTION_URL') ?? `${lensesUrl}/oauth2/introspect`),
    introspectionCacheTtlSeconds: integer('INTROSPECTION_CACHE_TTL', value('INTROSPECTION_CACHE_TTL') ?? '0', 0, 86_400),
    hqTimeoutSeconds: integer('LENSES_TIMEOUT_SECONDS', value('LENSES_TIMEOUT_SECONDS') ?? '30', 1, 3600),
    maxSessions: integer('MCP_MAX_SESSIONS', value('MCP_MAX_SESSIONS') ?? MAX_SESSIONS, 1, 1_000_000),
    maxSessionsPerUser: integer('MCP_MAX_SESSIONS_PER_USER', value('MCP_MAX_SESSIONS_PER_USER') ?? MAX_SESSIONS_PER_USER, 1, 1_000_000),
    stateless,
    logLevel: logLevel(value('LOG_LEVEL')),
    maxToolOutputChars: integer('LENSES_MAX_TOOL_OUTPUT_CHARS', value('LENSES_MAX_TOOL_OUTPUT_CHARS') ?? String(DEFAULT_MAX_TOOL_OUTPUT_CHARS), MIN_TOOL_OUTPUT_CHARS, MAX_TOOL_OUTPUT_CHARS),
    ...governanceConfig(env),
  };
}

/** LENSES_READ_ONLY, LENSES_ENABLED_TOOLS, LENSES_DISABLED_TOOLS, LENSES_PROTECTED_ENVIRONMENTS, LENSES_AUDIT_LOG. */
export function governanceConfig(env: Readonly<Record<string, string | undefined>>): GovernanceConfig {
  try {
    return readGovernanceConfig(env);
  } catch (error) {
    if (error instanceof GovernanceConfigError) throw new ConfigError(error.message);
    throw error;
  }
}

function logLevel(raw: string | undefined): LogLevel {
  const level = (raw ?? 'info').toLowerCase();
  if (level === 'info' || level === 'debug' || level === 'trace') return level;
  throw new ConfigError(`LOG_LEVEL must be info, debug or trace, not "${raw}"`);
}

function httpUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${name} must be an http(s) URL, not "${raw}"`);
  if (url.username || url.password) throw new ConfigError(`${name} must not contain credentials`);
  return raw.replace(/\/+$/, '');
}

function flag(name: string, raw: string | undefined): boolean {
  if (raw === undefined) return false;
  const lower = raw.toLowerCase();
  if (['true', '1', 'yes'].includes(lower)) return true;
  if (['false', '0', 'no'].includes(lower)) return false;
  throw new ConfigError(`${name} must be true/1/yes or false/0/no, not "${raw}"`);
}

function integer(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  return Number(raw);
}

function hostList(name: string, raw: string | undefined): string[] {
  if (raw === undefined) return [];
  return raw.split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const hostname = allowedHostName(entry);
    if (hostname === undefined) throw new ConfigError(`${name} entry "${entry}" is not a host name: list names or IP addresses separated by commas, without scheme or port`);
    return hostname;
  });
}

function scopeList(raw: string | undefined): Scope[] {
  if (raw === undefined) return parseScopes('read write delete');
  const words = raw.split(/[\s,]+/).filter(Boolean);
  const unknown = words.filter((word) => !isScope(word));
  if (unknown.length > 0) throw new ConfigError(`MCP_SCOPES has unknown scope(s) ${unknown.join(', ')}: use read, write, delete`);
  const scopes = parseScopes(words);
  if (scopes.length === 0) throw new ConfigError('MCP_SCOPES must name at least one of read, write, delete');
  return scopes;
}
