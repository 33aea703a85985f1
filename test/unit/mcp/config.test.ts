import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, readConfig, VARIABLES } from '../../../src/mcp/standalone/config';

describe("readConfig (the official server's environment contract)", () => {
  it('applies the documented defaults in API-key mode', () => {
    const config = readConfig({ LENSES_API_KEY: 'key' });
    assert.equal(config.lensesUrl, 'http://localhost:9991');
    assert.equal(config.transport, 'stdio');
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.port, 8000);
    assert.deepEqual(config.scopes, ['read', 'write', 'delete']);
    assert.equal(config.introspectionUrl, 'http://localhost:9991/oauth2/introspect');
    assert.equal(config.stateless, false);
    assert.equal(config.logLevel, 'info');
    assert.deepEqual(config.allowedHosts, []);
    assert.equal(config.hqTimeoutSeconds, 30);
    assert.equal(config.maxSessions, 1000);
    assert.equal(config.maxSessionsPerUser, 20);
    assert.equal(config.maxListenStreams, 1000);
    assert.equal(config.maxListenStreamsPerCredential, 4);
  });

  it('RS-28 MCP_MAX_LISTEN_STREAMS and MCP_MAX_LISTEN_STREAMS_PER_CREDENTIAL are whole numbers of at least 1, named when wrong', () => {
    const config = readConfig({ LENSES_API_KEY: 'k', MCP_MAX_LISTEN_STREAMS: '10', MCP_MAX_LISTEN_STREAMS_PER_CREDENTIAL: '2' });
    assert.deepEqual([config.maxListenStreams, config.maxListenStreamsPerCredential], [10, 2]);
    for (const name of ['MCP_MAX_LISTEN_STREAMS', 'MCP_MAX_LISTEN_STREAMS_PER_CREDENTIAL'])
      assert.throws(
        () => readConfig({ LENSES_API_KEY: 'k', [name]: '0' }),
        (e: unknown) => e instanceof ConfigError && e.message.startsWith(`${name} must be a whole number`),
      );
  });

  it('RS-18 INTROSPECTION_CACHE_TTL defaults to 0 (every request validated with HQ), and --help says so', () => {
    const config = readConfig({ OAUTH_ENABLED: 'true', MCP_ADVERTISED_URL: 'https://mcp.example.com' });
    assert.equal(config.introspectionCacheTtlSeconds, 0);
    assert.equal(VARIABLES.find((variable) => variable.name === 'INTROSPECTION_CACHE_TTL')?.default, '0');
    assert.equal(
      readConfig({ OAUTH_ENABLED: 'true', MCP_ADVERTISED_URL: 'https://m.example', INTROSPECTION_CACHE_TTL: '30' }).introspectionCacheTtlSeconds,
      30,
    );
  });

  it('RS-17 MCP_ALLOWED_HOSTS takes a comma list of host names and refuses anything else, naming the variable', () => {
    assert.deepEqual(readConfig({ LENSES_API_KEY: 'k', MCP_ALLOWED_HOSTS: ' MCP.example.com, 10.0.0.5,::1 ,[fe80::1],' }).allowedHosts, [
      'mcp.example.com',
      '10.0.0.5',
      '[::1]',
      '[fe80::1]',
    ]);
    for (const bad of ['https://mcp.example.com', 'mcp.example.com:8443', 'mcp.example.com/mcp', '*', 'user@host']) {
      assert.throws(
        () => readConfig({ LENSES_API_KEY: 'k', MCP_ALLOWED_HOSTS: bad }),
        (e: unknown) => e instanceof ConfigError && e.message.startsWith(`MCP_ALLOWED_HOSTS entry "${bad}" is not a host name`),
        bad,
      );
    }
  });

  it('MCP_ADVERTISED_URL is also read in API-key mode (its host is accepted in Host and Origin)', () => {
    assert.equal(readConfig({ LENSES_API_KEY: 'k', MCP_ADVERTISED_URL: 'https://mcp.example.com/' }).mcpAdvertisedUrl, 'https://mcp.example.com');
    assert.throws(
      () => readConfig({ LENSES_API_KEY: 'k', MCP_ADVERTISED_URL: 'mcp.example.com' }),
      (e: unknown) => e instanceof ConfigError && /^MCP_ADVERTISED_URL /.test(e.message),
    );
  });

  it('LENSES_TIMEOUT_SECONDS, MCP_MAX_SESSIONS and MCP_MAX_SESSIONS_PER_USER are whole numbers in range, named when wrong', () => {
    const config = readConfig({ LENSES_API_KEY: 'k', LENSES_TIMEOUT_SECONDS: '5', MCP_MAX_SESSIONS: '50', MCP_MAX_SESSIONS_PER_USER: '3' });
    assert.equal(config.hqTimeoutSeconds, 5);
    assert.equal(config.maxSessions, 50);
    assert.equal(config.maxSessionsPerUser, 3);
    for (const [name, bad] of [
      ['LENSES_TIMEOUT_SECONDS', '0'],
      ['LENSES_TIMEOUT_SECONDS', '1.5'],
      ['MCP_MAX_SESSIONS', '0'],
      ['MCP_MAX_SESSIONS_PER_USER', 'many'],
    ]) {
      assert.throws(
        () => readConfig({ LENSES_API_KEY: 'k', [name]: bad }),
        (e: unknown) => e instanceof ConfigError && e.message.startsWith(`${name} must be a whole number`),
        `${name}=${bad}`,
      );
    }
  });

  it("reads every documented variable and no undocumented one (so --help and the operator's guide list them all)", () => {
    const read: string[] = [];
    const env = new Proxy<Record<string, string | undefined>>(
      {},
      {
        get: (_target, name) => {
          if (typeof name === 'string') read.push(name);
          return name === 'LENSES_API_KEY' ? 'k' : undefined;
        },
      },
    );
    readConfig(env);
    assert.deepEqual([...new Set(read)].sort(), VARIABLES.map((variable) => variable.name).sort());
  });

  it('OAuth mode defaults to HTTP, advertises LENSES_URL unless told otherwise, and keeps introspection on the internal URL', () => {
    const config = readConfig({
      OAUTH_ENABLED: '1',
      MCP_ADVERTISED_URL: 'https://mcp.example.com/',
      LENSES_URL: 'http://hq.internal:9991',
      MCP_SCOPES: 'read,write',
      MCP_STATELESS_HTTP: 'true',
    });
    assert.equal(config.transport, 'http');
    assert.equal(config.mcpAdvertisedUrl, 'https://mcp.example.com');
    assert.equal(config.lensesAdvertisedUrl, 'http://hq.internal:9991');
    assert.equal(config.introspectionUrl, 'http://hq.internal:9991/oauth2/introspect');
    assert.deepEqual(config.scopes, ['read', 'write']);
    assert.equal(config.stateless, true);
  });

  it('OAuth mode when OAUTH_ENABLED is true, or when it is unset and MCP_ADVERTISED_URL is set without LENSES_API_KEY; each says which rule decided', () => {
    const mode = (env: Record<string, string>) => {
      const config = readConfig(env);
      return [config.oauthEnabled, config.modeDecidedBy];
    };
    const advertised = { MCP_ADVERTISED_URL: 'https://mcp.example.com' };
    assert.deepEqual(mode({ OAUTH_ENABLED: 'yes', ...advertised }), [true, 'OAUTH_ENABLED=true']);
    assert.deepEqual(mode({ OAUTH_ENABLED: 'true', LENSES_API_KEY: 'k', ...advertised }), [true, 'OAUTH_ENABLED=true']);
    assert.deepEqual(mode(advertised), [true, 'MCP_ADVERTISED_URL set without LENSES_API_KEY']);
    assert.equal(readConfig(advertised).transport, 'http', 'OAuth picked by MCP_ADVERTISED_URL defaults to HTTP too');
    assert.deepEqual(mode({ LENSES_API_KEY: 'k', ...advertised }), [false, 'LENSES_API_KEY set, OAUTH_ENABLED unset']);
    assert.deepEqual(mode({ OAUTH_ENABLED: 'false', LENSES_API_KEY: 'k', ...advertised }), [false, 'OAUTH_ENABLED=false']);
    assert.deepEqual(mode({ LENSES_API_KEY: 'k' }), [false, 'OAUTH_ENABLED and MCP_ADVERTISED_URL unset']);
    assert.deepEqual(mode({ LENSES_API_KEY: 'k', MCP_ADVERTISED_URL: '  ' }), [false, 'OAUTH_ENABLED and MCP_ADVERTISED_URL unset'], 'empty is unset');
  });

  it('without a credential, the one line names LENSES_API_KEY and how to get OAuth instead; OAUTH_ENABLED=false is explicit', () => {
    assert.throws(
      () => readConfig({ OAUTH_ENABLED: 'false', MCP_ADVERTISED_URL: 'https://mcp.example.com' }),
      (e: unknown) => e instanceof ConfigError && e.message === 'LENSES_API_KEY is required when OAUTH_ENABLED is off',
    );
    assert.throws(
      () => readConfig({}),
      (e: unknown) =>
        e instanceof ConfigError && e.message === 'LENSES_API_KEY is required in API-key mode (for OAuth set OAUTH_ENABLED=true and MCP_ADVERTISED_URL)',
    );
    assert.throws(
      () => readConfig({ MCP_ADVERTISED_URL: 'https://mcp.example.com', TRANSPORT: 'stdio' }),
      (e: unknown) =>
        e instanceof ConfigError && /^TRANSPORT must be "http" or "sse" in OAuth mode .*MCP_ADVERTISED_URL set without LENSES_API_KEY/.test(e.message),
    );
  });

  it('refuses OAuth over stdio and an INTROSPECTION_CACHE_TTL that is not a number, naming the variable', () => {
    assert.throws(
      () => readConfig({ OAUTH_ENABLED: 'true', MCP_ADVERTISED_URL: 'https://m', TRANSPORT: 'stdio' }),
      (e: unknown) => e instanceof ConfigError && /^TRANSPORT /.test(e.message),
    );
    assert.throws(
      () => readConfig({ LENSES_API_KEY: 'k', INTROSPECTION_CACHE_TTL: '-1' }),
      (e: unknown) => e instanceof ConfigError && /^INTROSPECTION_CACHE_TTL /.test(e.message),
    );
  });

  it('accepts LOG_LEVEL info, debug or trace and refuses anything else, naming the variable', () => {
    assert.equal(readConfig({ LENSES_API_KEY: 'k', LOG_LEVEL: 'DEBUG' }).logLevel, 'debug');
    assert.throws(
      () => readConfig({ LENSES_API_KEY: 'k', LOG_LEVEL: 'verbose' }),
      (e: unknown) => e instanceof ConfigError && /^LOG_LEVEL must be info, debug or trace/.test(e.message),
    );
  });

  const refuses = (env: Record<string, string>, prefix: RegExp) =>
    assert.throws(
      () => readConfig({ LENSES_API_KEY: 'k', ...env }),
      (e: unknown) => e instanceof ConfigError && prefix.test(e.message) && !e.message.includes('\n'),
      JSON.stringify(env),
    );

  it('TRANSPORT accepts stdio, http, streamable-http (same as http) and sse, and names anything else', () => {
    assert.equal(readConfig({ LENSES_API_KEY: 'k', TRANSPORT: 'http' }).transport, 'http');
    assert.equal(readConfig({ LENSES_API_KEY: 'k', TRANSPORT: 'streamable-http' }).transport, 'http');
    assert.equal(readConfig({ LENSES_API_KEY: 'k', TRANSPORT: 'sse' }).transport, 'sse');
    assert.equal(readConfig({ LENSES_API_KEY: 'k', TRANSPORT: 'STDIO' }).transport, 'stdio');
    assert.equal(readConfig({ OAUTH_ENABLED: 'true', MCP_ADVERTISED_URL: 'https://m.example', TRANSPORT: 'sse' }).transport, 'sse');
    refuses({ TRANSPORT: 'websocket' }, /^TRANSPORT must be stdio, http, streamable-http or sse, not "websocket"$/);
    assert.deepEqual(readConfig({ LENSES_API_KEY: 'k', TRANSPORT: 'sse', FASTMCP_STATELESS_HTTP: 'true' }).notices, [
      'lenses-mcp: MCP_STATELESS_HTTP is ignored with TRANSPORT=sse (its sessions live on one stream)',
    ]);
  });

  it('FASTMCP_STATELESS_HTTP is a synonym of MCP_STATELESS_HTTP (pydantic booleans); both set and different is one error', () => {
    for (const [raw, expected] of [
      ['true', true],
      ['on', true],
      ['Y', true],
      ['1', true],
      ['off', false],
      ['f', false],
      ['no', false],
    ] as const) {
      assert.equal(readConfig({ LENSES_API_KEY: 'k', FASTMCP_STATELESS_HTTP: raw }).stateless, expected, raw);
    }
    assert.equal(readConfig({ LENSES_API_KEY: 'k', FASTMCP_STATELESS_HTTP: 'true', MCP_STATELESS_HTTP: 'yes' }).stateless, true);
    refuses({ FASTMCP_STATELESS_HTTP: 'true', MCP_STATELESS_HTTP: 'false' }, /^MCP_STATELESS_HTTP \(false\) and FASTMCP_STATELESS_HTTP \(true\) disagree/);
    refuses({ FASTMCP_STATELESS_HTTP: 'sometimes' }, /^FASTMCP_STATELESS_HTTP must be /);
  });

  it('the legacy LENSES_API_HTTP_URL/_PORT are honoured when LENSES_URL is not set, with a one-line deprecation notice', () => {
    const legacy = readConfig({
      LENSES_API_KEY: 'k',
      LENSES_API_HTTP_URL: 'https://hq.example.com',
      LENSES_API_HTTP_PORT: '8443',
      LENSES_API_WEBSOCKET_URL: 'wss://hq.example.com',
      LENSES_API_WEBSOCKET_PORT: '8443',
    });
    assert.equal(legacy.lensesUrl, 'https://hq.example.com:8443');
    assert.equal(legacy.introspectionUrl, 'https://hq.example.com:8443/oauth2/introspect');
    assert.deepEqual(legacy.notices, [
      'lenses-mcp: LENSES_API_HTTP_URL, LENSES_API_HTTP_PORT, LENSES_API_WEBSOCKET_URL, LENSES_API_WEBSOCKET_PORT are deprecated: set LENSES_URL=https://hq.example.com:8443 instead',
    ]);
    // As the official server: without a port, the one of its default LENSES_URL (9991).
    assert.equal(readConfig({ LENSES_API_KEY: 'k', LENSES_API_HTTP_URL: 'http://hq' }).lensesUrl, 'http://hq:9991');
    assert.equal(readConfig({ LENSES_API_KEY: 'k', LENSES_API_WEBSOCKET_URL: 'wss://hq', LENSES_API_WEBSOCKET_PORT: '443' }).lensesUrl, 'https://hq');
    assert.deepEqual(readConfig({ LENSES_API_KEY: 'k' }).notices, []);
  });

  it('LENSES_URL wins over the legacy names, which are then reported as ignored', () => {
    const config = readConfig({ LENSES_API_KEY: 'k', LENSES_URL: 'http://new:9991', LENSES_API_HTTP_URL: 'http://old', LENSES_API_HTTP_PORT: '1' });
    assert.equal(config.lensesUrl, 'http://new:9991');
    assert.deepEqual(config.notices, ['lenses-mcp: LENSES_API_HTTP_URL, LENSES_API_HTTP_PORT ignored: LENSES_URL is set (they are deprecated; remove them)']);
  });

  it('refuses bad legacy values with one line naming the variable', () => {
    refuses({ LENSES_API_HTTP_URL: 'hq.example.com' }, /^LENSES_API_HTTP_URL is not a URL/);
    refuses({ LENSES_API_HTTP_URL: 'ftp://hq' }, /^LENSES_API_HTTP_URL must be a http or https URL/);
    refuses({ LENSES_API_HTTP_URL: 'http://hq:9991' }, /^LENSES_API_HTTP_URL must be only a scheme and host/);
    refuses({ LENSES_API_HTTP_URL: 'http://hq', LENSES_API_HTTP_PORT: 'http' }, /^LENSES_API_HTTP_PORT must be a whole number from 1 to 65535/);
    refuses({ LENSES_API_HTTP_PORT: '9991' }, /^LENSES_API_HTTP_PORT is set without LENSES_API_HTTP_URL/);
    refuses({ LENSES_API_WEBSOCKET_URL: 'http://hq' }, /^LENSES_API_WEBSOCKET_URL must be a ws or wss URL/);
    refuses(
      { LENSES_API_HTTP_URL: 'https://hq', LENSES_API_WEBSOCKET_URL: 'wss://other' },
      /^LENSES_API_WEBSOCKET_URL\/_PORT \(wss:\/\/other:9991\) must match LENSES_API_HTTP_URL\/_PORT \(wss:\/\/hq:9991\)/,
    );
  });

  it('MCP_REPLICA_ID and SHUTDOWN_GRACE_SECONDS: defaults, values, and one-line refusals', () => {
    const defaults = readConfig({ LENSES_API_KEY: 'k' });
    assert.equal(defaults.replicaId, undefined);
    assert.equal(defaults.shutdownGraceSeconds, 20);
    const set = readConfig({ LENSES_API_KEY: 'k', MCP_REPLICA_ID: 'mcp-2', SHUTDOWN_GRACE_SECONDS: '0' });
    assert.equal(set.replicaId, 'mcp-2');
    assert.equal(set.shutdownGraceSeconds, 0);
    refuses({ MCP_REPLICA_ID: 'a.b' }, /^MCP_REPLICA_ID must be 1 to 32 letters, digits, - or _, not "a.b"$/);
    refuses({ MCP_REPLICA_ID: 'x'.repeat(33) }, /^MCP_REPLICA_ID must be/);
    refuses({ SHUTDOWN_GRACE_SECONDS: '-1' }, /^SHUTDOWN_GRACE_SECONDS must be a whole number/);
  });

  it('OTEL_* variables: off by default, otlp over http/protobuf, and one-line refusals for what is not supported', () => {
    assert.deepEqual(readConfig({ LENSES_API_KEY: 'k' }).telemetry, { enabled: false, exporter: 'otlp', serviceName: 'lenses-mcp' });
    assert.deepEqual(
      readConfig({
        LENSES_API_KEY: 'k',
        OTEL_ENABLED: 'yes',
        OTEL_EXPORTER: 'Console',
        OTEL_SERVICE_NAME: 'mcp-eu',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      }).telemetry,
      { enabled: true, exporter: 'console', serviceName: 'mcp-eu' },
    );
    refuses({ OTEL_ENABLED: 'sure' }, /^OTEL_ENABLED must be true\/1\/yes or false\/0\/no/);
    refuses({ OTEL_EXPORTER: 'zipkin' }, /^OTEL_EXPORTER must be otlp or console, not "zipkin"$/);
    refuses({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /^OTEL_EXPORTER_OTLP_PROTOCOL must be http\/protobuf, not "grpc"/);
    refuses({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, /^OTEL_EXPORTER_OTLP_ENDPOINT /);
  });

  it("the operator's guide's variable table lists every variable with the default --help prints", () => {
    const guide = readFileSync(join(__dirname, '../../../docs/STANDALONE.md'), 'utf8');
    for (const variable of VARIABLES) assert.ok(guide.includes(`| \`${variable.name}\` | ${variable.default} | ${variable.description} |`), variable.name);
  });
});
