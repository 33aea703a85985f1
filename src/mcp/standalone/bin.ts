import type { Logger } from '../../log';
import { authenticationMode, ConfigError, readConfig, VARIABLES, type LogLevel } from './config';
import { governanceConfig } from './config';
import { toolSetReport } from '../governance';
import { ALL_SCOPES } from '../../scopes';
import { SERVER_VERSION } from '../server';
import { startStandaloneHttp, startStandaloneStdio } from './standalone';
import { loadTelemetry } from '../../telemetry/telemetry';
import { TOOL_NAMES } from '../governance/toolAreas';
import { warmUpInBackground } from './warmUp';

/** The reason logged when the stdio client closes its end of the pipe. */
const STDIN_CLOSED = 'stdin closed';

/** Logs to stderr: stdout belongs to stdio JSON-RPC. LOG_LEVEL=debug for more. */
function stderrLogger(level: LogLevel): Logger {
  const debug = level === 'debug' || level === 'trace';
  const write = (tag: string, message: string | Error) =>
    process.stderr.write(`${new Date().toISOString()} ${tag} ${message instanceof Error ? message.message : message}\n`);
  return {
    trace: (m) => level === 'trace' && write('trace', m),
    debug: (m) => debug && write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}

function help(): string {
  const width = Math.max(...VARIABLES.map((v) => v.name.length));
  return [
    'lenses-mcp — the Lenses MCP server (stdio, streamable HTTP at /mcp, or HTTP+SSE at /sse)',
    '',
    'Usage: lenses-mcp [--help] [--version] [--list-tools]   (configured by environment variables)',
    '  --list-tools  prints the tools this configuration offers, and why each other one is off',
    '',
    'Mode: OAuth 2.1 resource server when OAUTH_ENABLED is true, or when it is unset and MCP_ADVERTISED_URL is set',
    'without LENSES_API_KEY (as the official server); OAUTH_ENABLED=false forces API-key mode. The start-up log',
    'says which rule decided.',
    '',
    'Environment variables:',
    ...VARIABLES.map((v) => `  ${v.name.padEnd(width)}  ${v.description} Default: ${v.default}.`),
  ].join('\n');
}

/** --list-tools: the effective tool set under the governance variables (exits 2 on a bad one). */
function listTools(env: NodeJS.ProcessEnv): string {
  try {
    const { governance } = governanceConfig(env);
    const set = (name: string) => Boolean(env[name]?.trim());
    const { oauth } = authenticationMode(env.OAUTH_ENABLED?.trim() || undefined, set('MCP_ADVERTISED_URL'), set('LENSES_API_KEY'));
    return toolSetReport(governance, new Set(ALL_SCOPES), { scopesNote: oauth ? "OAuth mode: each token's scopes narrow this further" : 'API-key mode' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`lenses-mcp: ${error.message}\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${help()}\n`);
    return;
  }
  if (args.includes('--version')) {
    process.stdout.write(`${SERVER_VERSION}\n`);
    return;
  }
  if (args.includes('--list-tools')) {
    process.stdout.write(`${listTools(process.env)}\n`);
    return;
  }
  if (args.length > 0) {
    process.stderr.write(`lenses-mcp: unknown argument ${args[0]} (see --help)\n`);
    process.exit(2);
  }
  let config;
  try {
    config = readConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`lenses-mcp: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  for (const notice of config.notices) process.stderr.write(`${notice}\n`);
  const logger = stderrLogger(config.logLevel);
  // OpenTelemetry is a chunk of its own beside this file, loaded only when asked for.
  const telemetry = config.telemetry.enabled
    ? loadTelemetry(
        {
          exporter: config.telemetry.exporter,
          serviceName: config.telemetry.serviceName,
          serviceVersion: SERVER_VERSION,
          toolNames: [...TOOL_NAMES],
        },
        logger,
        __dirname,
      )
    : undefined;
  const running =
    config.transport === 'stdio' ? await startStandaloneStdio(config, { logger, telemetry }) : await startStandaloneHttp(config, { logger, telemetry });
  warmUpInBackground();
  const graceMs = config.shutdownGraceSeconds * 1000;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    // The drain forces connections closed at the grace period; this is the backstop if closing hangs.
    const force = setTimeout(() => process.exit(1), graceMs + 5000);
    force.unref();
    running
      // The end of stdin too: a client that closes its input right after its last request still gets the answers.
      .close({ graceMs: signal === 'SIGTERM' || signal === STDIN_CLOSED ? graceMs : 0 })
      .then(() => telemetry?.shutdown())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (config.transport === 'stdio') process.stdin.on('end', () => stop(STDIN_CLOSED));
}

main().catch((error: unknown) => {
  process.stderr.write(`lenses-mcp: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
