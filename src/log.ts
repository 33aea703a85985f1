import { nodeCrypto } from './nodeCrypto';

/**
 * The logging surface every room writes to. VS Code's `LogOutputChannel` satisfies it
 * as is; the standalone bin writes it to stderr (stdout belongs to stdio JSON-RPC).
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

/** A logger that drops everything: the default where a caller passes none. */
export const silentLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/**
 * An 8-hex SHA-256 fingerprint of a secret: what logs show instead of a token,
 * so two log lines can be matched without the token ever being written.
 */
export function fingerprint(secret: string): string {
  return nodeCrypto().createHash('sha256').update(secret).digest('hex').slice(0, 8);
}
