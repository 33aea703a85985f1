/**
 * The flags of a developer command (`npm run demo`, `npm run hq`): `--flag value` or
 * `--flag=value`, read one at a time. Every refusal is an Error whose message is the one line
 * to print, naming the flag.
 */
export class CommandLineFlags {
  private index = -1;
  private inline: string | undefined;
  /** The flag being read (without its `=value`). */
  flag = '';
  /** The argument as typed, for "unknown flag". */
  argument = '';

  constructor(private readonly args: readonly string[]) {}

  /** Moves to the next flag; false at the end. */
  next(): boolean {
    this.index += 1;
    if (this.index >= this.args.length) return false;
    this.argument = this.args[this.index];
    const equals = this.argument.startsWith('--') ? this.argument.indexOf('=') : -1;
    this.flag = equals > 0 ? this.argument.slice(0, equals) : this.argument;
    this.inline = equals > 0 ? this.argument.slice(equals + 1) : undefined;
    return true;
  }

  /** The flag's value: after `=`, else the next argument unless that is a flag. */
  value(): string {
    const next = this.inline ?? this.args[this.index + 1];
    if (next === undefined || (this.inline === undefined && next.startsWith('--'))) throw new Error(`${this.flag} needs a value`);
    if (this.inline === undefined) this.index += 1;
    return next;
  }

  nonEmpty(): string {
    const text = this.value();
    if (!text.trim()) throw new Error(`${this.flag} must not be empty`);
    return text;
  }

  /** The value, which must be one of `choices` as typed. */
  oneOf<T extends string>(choices: readonly T[]): T {
    const text = this.nonEmpty();
    const choice = choices.find((candidate) => candidate === text);
    if (choice === undefined) throw new Error(`${this.flag} must be one of ${choices.join(', ')} (got "${text}")`);
    return choice;
  }

  wholeNumber(min: number, max: number): number {
    const text = this.value();
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max)
      throw new Error(`${this.flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
    return value;
  }

  port(): number {
    const text = this.value();
    const value = Number(text);
    if (!/^\d+$/.test(text) || value > 65535) throw new Error(`${this.flag} must be a port from 0 to 65535, got ${JSON.stringify(text)}`);
    return value;
  }

  unknown(): Error {
    return new Error(`unknown flag ${JSON.stringify(this.argument)}`);
  }
}
