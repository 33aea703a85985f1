/**
 * `npm run hq -- [flags]`: the Lenses HQ emulator as a process, for demos and manual
 * tests. Prints the URL, the users and the API key; SIGINT/SIGTERM close it cleanly.
 */
import { LENSES_VERSIONS } from '../src/lenses/contract';
import type { Logger } from '../src/log';
import { startHq, type HqOptions } from './server';
import { USERS } from './oauth/users';
import { CommandLineFlags } from '../test/support/commandLineFlags';
import { MAX_SCALE, SCALED_ENVIRONMENT } from './api/scale';

const USAGE =
  'usage: npm run hq -- [--port 9991] [--host 127.0.0.1] [--token-ttl SECONDS] [--api-key KEY] [--data FILE] [--scale N] [--lenses-version 6.2|6.3] [--no-dcr] [--verbose]';

interface CliOptions extends HqOptions {
  verbose: boolean;
  help: boolean;
}

/** Parses the flags; throws an Error whose message is the one line to print. */
export function parseArguments(args: readonly string[]): CliOptions {
  const options: CliOptions = { verbose: false, help: false };
  const flags = new CommandLineFlags(args);
  while (flags.next()) {
    switch (flags.flag) {
      case '--port':
        options.port = flags.wholeNumber(0, 65535);
        break;
      case '--host':
        options.host = flags.value();
        break;
      case '--token-ttl':
        options.tokenTtlSeconds = flags.wholeNumber(1, 365 * 24 * 3600);
        break;
      case '--api-key':
        options.apiKey = flags.nonEmpty();
        break;
      case '--data':
        options.dataFile = flags.nonEmpty();
        break;
      case '--scale':
        options.scale = flags.wholeNumber(1, MAX_SCALE);
        break;
      case '--lenses-version':
        options.lensesVersion = flags.oneOf(LENSES_VERSIONS);
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
        throw flags.unknown();
    }
  }
  return options;
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
      `  Lenses:   answers as Lenses ${hq.lensesVersion} publishes them (--lenses-version ${LENSES_VERSIONS.join('|')})`,
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
