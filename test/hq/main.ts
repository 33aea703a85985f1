/**
 * `npm run hq -- [flags]`: the Lenses HQ emulator as a process, for demos and manual
 * tests. Prints the URL, the users and the API key; SIGINT/SIGTERM close it cleanly.
 */
import type { Logger } from '../../src/log';
import { startHq, type HqOptions } from './server';
import { USERS } from './oauth/users';
import { MAX_SCALE, SCALED_ENVIRONMENT } from './api/scale';

const USAGE = 'usage: npm run hq -- [--port 9991] [--host 127.0.0.1] [--token-ttl SECONDS] [--api-key KEY] [--data FILE] [--scale N] [--no-dcr] [--verbose]';

interface CliOptions extends HqOptions {
  verbose: boolean;
  help: boolean;
}

/** Parses the flags; throws an Error whose message is the one line to print. */
export function parseArguments(args: readonly string[]): CliOptions {
  const options: CliOptions = { verbose: false, help: false };
  for (let index = 0; index < args.length; index++) {
    const [flag, inline] =
      args[index].startsWith('--') && args[index].includes('=')
        ? [args[index].slice(0, args[index].indexOf('=')), args[index].slice(args[index].indexOf('=') + 1)]
        : [args[index], undefined];
    const value = (): string => {
      const next = inline ?? args[++index];
      if (next === undefined || (inline === undefined && next.startsWith('--'))) throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--port':
        options.port = integer(flag, value(), 0, 65535);
        break;
      case '--host':
        options.host = value();
        break;
      case '--token-ttl':
        options.tokenTtlSeconds = integer(flag, value(), 1, 365 * 24 * 3600);
        break;
      case '--api-key':
        options.apiKey = nonEmpty(flag, value());
        break;
      case '--data':
        options.dataFile = nonEmpty(flag, value());
        break;
      case '--scale':
        options.scale = integer(flag, value(), 1, MAX_SCALE);
        break;
      case '--no-dcr':
        options.dcr = false;
        break;
      case '--verbose':
        options.verbose = true;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new Error(`unknown flag ${JSON.stringify(args[index])}`);
    }
  }
  return options;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new Error(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

function nonEmpty(flag: string, text: string): string {
  if (!text.trim()) throw new Error(`${flag} must not be empty`);
  return text;
}

function stderrLogger(verbose: boolean): Logger {
  const write = (level: string) => (message: string | Error) => {
    process.stderr.write(`${new Date().toISOString()} ${level} ${message instanceof Error ? (message.stack ?? message.message) : message}\n`);
  };
  const skip = () => {};
  return { trace: skip, debug: verbose ? write('debug') : skip, info: write('info'), warn: write('warn'), error: write('error') };
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`lenses-hq: ${error instanceof Error ? error.message : String(error)}. ${USAGE}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const logger = stderrLogger(options.verbose);
  const hq = await startHq({ ...options, port: options.port ?? 9991, logger });
  process.stdout.write(
    [
      `Lenses HQ (emulator) listening on ${hq.url}`,
      `  users:    ${Object.keys(USERS)
        .map((name) => `${name}/${USERS[name]}`)
        .join(', ')}`,
      `  API key:  ${hq.apiKey}`,
      `  OAuth:    ${hq.url}/.well-known/oauth-authorization-server (DCR ${options.dcr === false ? 'off' : 'on'}, access tokens ${options.tokenTtlSeconds ?? 3600} s)`,
      `  state:    ${options.dataFile ? options.dataFile : 'in memory'}`,
      ...(options.scale
        ? [
            `  scale:    environment "${SCALED_ENVIRONMENT}" with ${options.scale} topics, ${Math.floor(options.scale / 4)} consumer groups, ${Math.floor(options.scale / 20)} connectors, ${Math.floor(options.scale / 100)} SQL processors`,
          ]
        : []),
      '',
    ].join('\n'),
  );

  const stop = (signal: string) => {
    logger.info(`HQ: ${signal}, closing`);
    hq.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`lenses-hq: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
