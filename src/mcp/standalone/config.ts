import { isScope, parseScopes, type Scope } from '../../scopes';
import { allowedHostName } from '../http/httpGuards';
import { DEFAULT_LISTEN_LIMITS } from '../http/listenStreams';
import { DEFAULT_SESSION_LIMITS } from '../http/sessionRegistry';

const MAX_SESSIONS = String(DEFAULT_SESSION_LIMITS.maxSessions);
const MAX_SESSIONS_PER_USER = String(DEFAULT_SESSION_LIMITS.maxSessionsPerSubject);
import { DEFAULT_MAX_TOOL_OUTPUT_CHARS, MAX_TOOL_OUTPUT_CHARS, MIN_TOOL_OUTPUT_CHARS } from '../tools/answer';
import { GOVERNANCE_VARIABLES, GovernanceConfigError, readGovernanceConfig, type GovernanceConfig } from '../governance';

/** The standalone server's settings, read from the environment contract of the official server. */
export interface ServerConfig extends GovernanceConfig {
  lensesUrl: string;
  lensesAdvertisedUrl: string;
  apiKey?: string;
  oauthEnabled: boolean;
  /** Which rule chose the mode, said in the start-up log (`OAUTH_ENABLED=true`, `MCP_ADVERTISED_URL set without LENSES_API_KEY`, …). */
  modeDecidedBy: string;
  mcpAdvertisedUrl?: string;
  scopes: Scope[];
  /** `TRANSPORT`: `http` (also spelled `streamable-http`) serves /mcp; `sse` the older GET /sse + POST /messages. */
  transport: Transport;
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
  /** `MCP_MAX_LISTEN_STREAMS`, `MCP_MAX_LISTEN_STREAMS_PER_CREDENTIAL`: open 2026-07-28 `subscriptions/listen` streams in all and per credential. */
  maxListenStreams: number;
  maxListenStreamsPerCredential: number;
  stateless: boolean;
  logLevel: LogLevel;
  /** LENSES_MAX_TOOL_OUTPUT_CHARS: most characters of text per tool answer. */
  maxToolOutputChars: number;
  /** `SHUTDOWN_GRACE_SECONDS`: on SIGTERM (and the end of stdin), how long in-flight requests may take before they are cut. */
  shutdownGraceSeconds: number;
  /** `MCP_REPLICA_ID`: prefix of session IDs (`<id>.<uuid>`) so a load balancer can route a session to its replica. */
  replicaId?: string;
  telemetry: TelemetryConfig;
  /** One-line notices for stderr (deprecated names in use). */
  notices: string[];
}

export type Transport = 'stdio' | 'http' | 'sse';

/** OpenTelemetry settings; the SDK itself reads the standard OTEL_EXPORTER_OTLP_* variables. */
export interface TelemetryConfig {
  enabled: boolean;
  /** `otlp` (OTLP/HTTP protobuf) or `console` (spans as JSON lines on stderr). */
  exporter: 'otlp' | 'console';
  serviceName: string;
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
  {
    name: 'OAUTH_ENABLED',
    default: '(unset)',
    description:
      'true/1/yes: OAuth 2.1 resource-server mode (HTTP only); false/0/no: API-key mode. Unset: OAuth when MCP_ADVERTISED_URL is set and LENSES_API_KEY is not (as the official server), else API-key mode.',
  },
  {
    name: 'MCP_ADVERTISED_URL',
    default: '(none; required with OAuth)',
    description: 'Public base URL of this server; the resource is this + /mcp (/sse with TRANSPORT=sse), and its host is accepted in Host and Origin.',
  },
  { name: 'LENSES_ADVERTISED_URL', default: 'LENSES_URL', description: 'Public HQ URL advertised as the authorization server.' },
  { name: 'MCP_SCOPES', default: 'read,write,delete', description: 'Scopes advertised and asked for in challenges.' },
  {
    name: 'LENSES_API_HTTP_URL',
    default: '(none)',
    description:
      "Legacy (the official server's old names): HQ scheme and host, used with LENSES_API_HTTP_PORT only when LENSES_URL is not set; prints a deprecation notice.",
  },
  { name: 'LENSES_API_HTTP_PORT', default: '9991', description: 'Legacy: HQ port for LENSES_API_HTTP_URL.' },
  {
    name: 'LENSES_API_WEBSOCKET_URL',
    default: '(none)',
    description: 'Legacy: HQ WebSocket scheme and host (SQL); must be the same host as the HTTP one (ws for http, wss for https).',
  },
  { name: 'LENSES_API_WEBSOCKET_PORT', default: '9991', description: 'Legacy: HQ WebSocket port; must equal the HTTP port.' },
  {
    name: 'TRANSPORT',
    default: 'http with OAuth, else stdio',
    description: 'stdio; http or its synonym streamable-http (streamable HTTP at /mcp); sse (the older HTTP+SSE transport: GET /sse and POST /messages/).',
  },
  { name: 'HOST', default: '0.0.0.0', description: 'HTTP bind address.' },
  { name: 'PORT', default: '8000', description: 'HTTP port.' },
  {
    name: 'MCP_ALLOWED_HOSTS',
    default: '(none)',
    description:
      'Comma list of host names clients use to reach this server, accepted in Host and Origin besides loopback names and the host of MCP_ADVERTISED_URL; any other gets 403 (DNS-rebinding protection, on every bind address).',
  },
  { name: 'INTROSPECTION_URL', default: '{LENSES_URL}/oauth2/introspect', description: 'RFC 7662 endpoint (never discovered from the advertised issuer).' },
  {
    name: 'INTROSPECTION_CACHE_TTL',
    default: '0',
    description:
      '0: every request is validated with HQ (requests with one token share one introspection that started after they arrived). Above 0: seconds an active answer is reused, never past the token expiry.',
  },
  {
    name: 'MCP_MAX_SESSIONS',
    default: MAX_SESSIONS,
    description: 'Open MCP sessions at most; past it the session idle longest (over a minute) is closed, else new sessions get 503.',
  },
  {
    name: 'MCP_MAX_SESSIONS_PER_USER',
    default: MAX_SESSIONS_PER_USER,
    description: "Open MCP sessions per OAuth user (subject); past it that user's session idle longest is closed.",
  },
  {
    name: 'MCP_MAX_LISTEN_STREAMS',
    default: String(DEFAULT_LISTEN_LIMITS.maxStreams),
    description: 'Open subscriptions/listen streams (2026-07-28 clients) at most; past it a new one is refused.',
  },
  {
    name: 'MCP_MAX_LISTEN_STREAMS_PER_CREDENTIAL',
    default: String(DEFAULT_LISTEN_LIMITS.maxStreamsPerCredential),
    description: 'Open subscriptions/listen streams per token or API key; past it a new one is refused. Each stream ends once its token is no longer valid.',
  },
  { name: 'MCP_STATELESS_HTTP', default: 'false', description: 'true: no MCP sessions (replicas behind a load balancer).' },
  {
    name: 'FASTMCP_STATELESS_HTTP',
    default: 'MCP_STATELESS_HTTP',
    description: 'Synonym of MCP_STATELESS_HTTP (the FastMCP name the official server reads; also on/off, t/f, y/n); both set and different is an error.',
  },
  {
    name: 'MCP_REPLICA_ID',
    default: '(none)',
    description: 'Letters, digits, - or _ (at most 32): session IDs start with it and a dot, so a load balancer can route each session to its replica.',
  },
  {
    name: 'SHUTDOWN_GRACE_SECONDS',
    default: '20',
    description:
      'On SIGTERM, and on stdio at the end of input: stop accepting, let in-flight requests finish and be answered for up to this long, then close what is left.',
  },
  {
    name: 'OTEL_ENABLED',
    default: 'false',
    description: 'true/1/yes: OpenTelemetry traces (a span per MCP request and per HQ call); off, nothing of OpenTelemetry is loaded.',
  },
  { name: 'OTEL_EXPORTER', default: 'otlp', description: 'otlp (OTLP/HTTP) or console (spans on stderr).' },
  { name: 'OTEL_SERVICE_NAME', default: 'lenses-mcp', description: 'The service.name of the spans.' },
  { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', default: 'http/protobuf', description: 'http/protobuf only (grpc is refused: its exporter would add ~700 KB).' },
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    default: 'http://localhost:4318',
    description: 'OTLP/HTTP base URL (/v1/traces is appended); the other standard OTEL_EXPORTER_OTLP_* variables apply as the SDK defines them.',
  },
  {
    name: 'LENSES_MAX_TOOL_OUTPUT_CHARS',
    default: String(DEFAULT_MAX_TOOL_OUTPUT_CHARS),
    description: `Most characters of text per tool answer (${MIN_TOOL_OUTPUT_CHARS}-${MAX_TOOL_OUTPUT_CHARS}); longer lists are cut at whole items with a note on how to page.`,
  },
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
  const notices: string[] = [];
  const lensesUrl = hqUrl(value, notices);
  const apiKey = value('LENSES_API_KEY');
  const advertised = value('MCP_ADVERTISED_URL');
  const mode = authenticationMode(value('OAUTH_ENABLED'), advertised !== undefined, apiKey !== undefined);
  const oauthEnabled = mode.oauth;
  const stateless = statelessFlag(value('MCP_STATELESS_HTTP'), value('FASTMCP_STATELESS_HTTP'));
  const transport = transportOf(value('TRANSPORT') ?? (oauthEnabled ? 'http' : 'stdio'));
  const scopes = scopeList(value('MCP_SCOPES'));
  const mcpAdvertisedUrl = advertised === undefined ? undefined : httpUrl('MCP_ADVERTISED_URL', advertised);
  if (oauthEnabled) {
    if (transport === 'stdio') throw new ConfigError(`TRANSPORT must be "http" or "sse" in OAuth mode (OAuth needs HTTP; mode by ${mode.decidedBy})`);
    if (!mcpAdvertisedUrl) throw new ConfigError('MCP_ADVERTISED_URL is required when OAUTH_ENABLED is on (the public URL of this server)');
  } else if (!apiKey) {
    throw new ConfigError(
      mode.decidedBy === 'OAUTH_ENABLED=false'
        ? 'LENSES_API_KEY is required when OAUTH_ENABLED is off'
        : 'LENSES_API_KEY is required in API-key mode (for OAuth set OAUTH_ENABLED=true and MCP_ADVERTISED_URL)',
    );
  }
  // As FastMCP: the HTTP+SSE transport always has sessions (the stream is one).
  if (stateless && transport === 'sse') notices.push('lenses-mcp: MCP_STATELESS_HTTP is ignored with TRANSPORT=sse (its sessions live on one stream)');
  const replicaId = value('MCP_REPLICA_ID');
  if (replicaId !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(replicaId))
    throw new ConfigError(`MCP_REPLICA_ID must be 1 to 32 letters, digits, - or _, not "${replicaId}"`);
  const port = integer('PORT', value('PORT') ?? '8000', 0, 65535);
  return {
    lensesUrl,
    lensesAdvertisedUrl: httpUrl('LENSES_ADVERTISED_URL', value('LENSES_ADVERTISED_URL') ?? lensesUrl),
    apiKey,
    oauthEnabled,
    modeDecidedBy: mode.decidedBy,
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
    maxListenStreams: integer('MCP_MAX_LISTEN_STREAMS', value('MCP_MAX_LISTEN_STREAMS') ?? String(DEFAULT_LISTEN_LIMITS.maxStreams), 1, 1_000_000),
    maxListenStreamsPerCredential: integer(
      'MCP_MAX_LISTEN_STREAMS_PER_CREDENTIAL',
      value('MCP_MAX_LISTEN_STREAMS_PER_CREDENTIAL') ?? String(DEFAULT_LISTEN_LIMITS.maxStreamsPerCredential),
      1,
      1_000_000,
    ),
    stateless,
    logLevel: logLevel(value('LOG_LEVEL')),
    shutdownGraceSeconds: integer('SHUTDOWN_GRACE_SECONDS', value('SHUTDOWN_GRACE_SECONDS') ?? '20', 0, 3600),
    replicaId,
    telemetry: telemetryConfig(value),
    notices,
    maxToolOutputChars: integer(
      'LENSES_MAX_TOOL_OUTPUT_CHARS',
      value('LENSES_MAX_TOOL_OUTPUT_CHARS') ?? String(DEFAULT_MAX_TOOL_OUTPUT_CHARS),
      MIN_TOOL_OUTPUT_CHARS,
      MAX_TOOL_OUTPUT_CHARS,
    ),
    ...governanceConfig(env),
  };
}

type Read = (name: string) => string | undefined;

/**
 * OAuth or API-key mode, and the rule that chose it: `OAUTH_ENABLED` when set (the Lenses docs'
 * switch), else OAuth when `MCP_ADVERTISED_URL` is set without `LENSES_API_KEY` (the newer
 * official configuration, which has no `OAUTH_ENABLED`), else API-key mode.
 */
export function authenticationMode(oauthEnabled: string | undefined, advertisedUrlSet: boolean, apiKeySet: boolean): { oauth: boolean; decidedBy: string } {
  if (oauthEnabled !== undefined) {
    const oauth = flag('OAUTH_ENABLED', oauthEnabled);
    return { oauth, decidedBy: `OAUTH_ENABLED=${oauth}` };
  }
  if (advertisedUrlSet && !apiKeySet) return { oauth: true, decidedBy: 'MCP_ADVERTISED_URL set without LENSES_API_KEY' };
  if (advertisedUrlSet) return { oauth: false, decidedBy: 'LENSES_API_KEY set, OAUTH_ENABLED unset' };
  return { oauth: false, decidedBy: 'OAUTH_ENABLED and MCP_ADVERTISED_URL unset' };
}

/** LENSES_URL, else the legacy LENSES_API_HTTP_URL + _PORT (and the WebSocket pair, which must agree with it). */
function hqUrl(value: Read, notices: string[]): string {
  const url = value('LENSES_URL');
  const legacy = ['LENSES_API_HTTP_URL', 'LENSES_API_HTTP_PORT', 'LENSES_API_WEBSOCKET_URL', 'LENSES_API_WEBSOCKET_PORT'].filter(
    (name) => value(name) !== undefined,
  );
  if (url !== undefined || legacy.length === 0) {
    if (legacy.length > 0) notices.push(`lenses-mcp: ${legacy.join(', ')} ignored: LENSES_URL is set (they are deprecated; remove them)`);
    return httpUrl('LENSES_URL', url ?? 'http://localhost:9991');
  }
  const http = legacyBase('LENSES_API_HTTP', value, ['http:', 'https:']);
  const ws = legacyBase('LENSES_API_WEBSOCKET', value, ['ws:', 'wss:']);
  if (http && ws) {
    const expected = new URL(http.href);
    expected.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';
    // The SQL WebSocket is derived from the HTTP URL; a different WebSocket host would be silently ignored.
    if (expected.host !== ws.host || expected.protocol !== ws.protocol)
      throw new ConfigError(
        `LENSES_API_WEBSOCKET_URL/_PORT (${ws.protocol}//${ws.host}) must match LENSES_API_HTTP_URL/_PORT (${expected.protocol}//${expected.host}): one HQ serves both; set LENSES_URL`,
      );
  }
  const base = http ? http.origin : `${ws?.protocol === 'wss:' ? 'https' : 'http'}://${ws?.host}`;
  notices.push(`lenses-mcp: ${legacy.join(', ')} ${legacy.length === 1 ? 'is' : 'are'} deprecated: set LENSES_URL=${base} instead`);
  return base;
}

/** `<prefix>_URL` (scheme://host, as the official server wants it) with `<prefix>_PORT`. */
function legacyBase(prefix: string, value: Read, protocols: string[]): URL | undefined {
  const raw = value(`${prefix}_URL`);
  const port = value(`${prefix}_PORT`);
  if (raw === undefined) {
    if (port !== undefined) throw new ConfigError(`${prefix}_PORT is set without ${prefix}_URL (or set LENSES_URL)`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${prefix}_URL is not a URL: "${raw}"`);
  }
  if (!protocols.includes(url.protocol))
    throw new ConfigError(`${prefix}_URL must be a ${protocols.map((p) => p.slice(0, -1)).join(' or ')} URL, not "${raw}"`);
  if (url.username || url.password) throw new ConfigError(`${prefix}_URL must not contain credentials`);
  if (url.port || url.pathname.replace(/\/+$/, '') || url.search || url.hash)
    throw new ConfigError(`${prefix}_URL must be only a scheme and host (the port goes in ${prefix}_PORT), not "${raw}"`);
  // As the official server: without a port, the one of its default LENSES_URL.
  url.port = String(integer(`${prefix}_PORT`, port ?? '9991', 1, 65535));
  return url;
}

function transportOf(raw: string): Transport {
  const lower = raw.toLowerCase();
  if (lower === 'stdio' || lower === 'http' || lower === 'sse') return lower;
  if (lower === 'streamable-http') return 'http';
  throw new ConfigError(`TRANSPORT must be stdio, http, streamable-http or sse, not "${raw}"`);
}

/** MCP_STATELESS_HTTP, or its FastMCP spelling (parsed as pydantic parses a bool, as the official server does). */
function statelessFlag(ours: string | undefined, fastmcp: string | undefined): boolean {
  const fromOurs = ours === undefined ? undefined : flag('MCP_STATELESS_HTTP', ours);
  let fromFastmcp: boolean | undefined;
  if (fastmcp !== undefined) {
    const lower = fastmcp.toLowerCase();
    if (['1', 'true', 't', 'yes', 'y', 'on'].includes(lower)) fromFastmcp = true;
    else if (['0', 'false', 'f', 'no', 'n', 'off'].includes(lower)) fromFastmcp = false;
    else throw new ConfigError(`FASTMCP_STATELESS_HTTP must be true/1/yes/on or false/0/no/off, not "${fastmcp}"`);
  }
  if (fromOurs !== undefined && fromFastmcp !== undefined && fromOurs !== fromFastmcp)
    throw new ConfigError(`MCP_STATELESS_HTTP (${ours}) and FASTMCP_STATELESS_HTTP (${fastmcp}) disagree: set one of them`);
  return fromOurs ?? fromFastmcp ?? false;
}

function telemetryConfig(value: Read): TelemetryConfig {
  const enabled = flag('OTEL_ENABLED', value('OTEL_ENABLED'));
  const exporter = (value('OTEL_EXPORTER') ?? 'otlp').toLowerCase();
  if (exporter !== 'otlp' && exporter !== 'console') throw new ConfigError(`OTEL_EXPORTER must be otlp or console, not "${value('OTEL_EXPORTER')}"`);
  const protocol = (value('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf').toLowerCase();
  if (protocol !== 'http/protobuf')
    throw new ConfigError(`OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf, not "${value('OTEL_EXPORTER_OTLP_PROTOCOL')}" (grpc is not bundled)`);
  const endpoint = value('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (endpoint !== undefined) httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', endpoint);
  return { enabled, exporter, serviceName: value('OTEL_SERVICE_NAME') ?? 'lenses-mcp' };
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
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const hostname = allowedHostName(entry);
      if (hostname === undefined)
        throw new ConfigError(`${name} entry "${entry}" is not a host name: list names or IP addresses separated by commas, without scheme or port`);
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
