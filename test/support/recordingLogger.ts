import type { Logger } from '../../src/log';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** A Logger that keeps every message, for asserting what was logged and that no secret was. */
export class RecordingLogger implements Logger {
  /** Every message in order, without its level. */
  readonly lines: string[] = [];
  private readonly levels: LogLevel[] = [];

  trace(message: string): void {
    this.record('trace', message);
  }
  debug(message: string): void {
    this.record('debug', message);
  }
  info(message: string): void {
    this.record('info', message);
  }
  warn(message: string): void {
    this.record('warn', message);
  }
  error(message: string | Error): void {
    // An Error is kept with its stack: what a log channel would show.
    this.record('error', message instanceof Error ? `${message.message} ${message.stack ?? ''}` : message);
  }

  /** The messages logged at any of `levels`, in order. */
  at(...levels: LogLevel[]): string[] {
    return this.lines.filter((_line, index) => levels.includes(this.levels[index]));
  }

  /** Every message, one a line. */
  get text(): string {
    return this.lines.join('\n');
  }

  private record(level: LogLevel, message: string): void {
    this.lines.push(message);
    this.levels.push(level);
  }
}
