import { badRequest, invalidFields, type InvalidField } from './http';

/**
 * Reads fields from a JSON object (a request body or query), collecting every refusal so
 * one 400 lists all `invalid_fields` at once, as HQ does. Call `done()` after reading.
 */
export class FieldReader {
  private readonly problems: InvalidField[] = [];
  private readonly record: Record<string, unknown>;

  constructor(
    value: unknown,
    private readonly prefix = '',
  ) {
    if (!isRecord(value)) throw badRequest(prefix ? `${prefix} must be a JSON object` : 'The request body must be a JSON object');
    this.record = value;
  }

  /** Records a refusal found by the caller's own check. */
  refuse(field: string, message: string): void {
    this.problems.push({ field: this.prefix + field, message });
  }

  has(field: string): boolean {
    return this.record[field] !== undefined && this.record[field] !== null;
  }

  raw(field: string): unknown {
    return this.record[field];
  }

  string(field: string, options: { pattern?: RegExp; patternMessage?: string; maxLength?: number }): string | undefined;
  string(field: string, options: { required: true; pattern?: RegExp; patternMessage?: string; maxLength?: number }): string;
  string(field: string, options: { required?: boolean; pattern?: RegExp; patternMessage?: string; maxLength?: number } = {}): string | undefined {
    const value = this.record[field];
    if (value === undefined || value === null) {
      if (options.required) this.refuse(field, 'is required');
      return options.required ? '' : undefined;
    }
    if (typeof value !== 'string') return this.fail(field, 'must be a string', options.required ? '' : undefined);
    if (options.required && value.trim().length === 0) return this.fail(field, 'must not be empty', '');
    if (options.maxLength !== undefined && value.length > options.maxLength) return this.fail(field, `must be at most ${options.maxLength} characters`, value);
    if (options.pattern && !options.pattern.test(value)) return this.fail(field, options.patternMessage ?? 'has an invalid format', value);
    return value;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[], fallback?: T): T | undefined {
    const value = this.record[field];
    if (value === undefined || value === null) {
      if (fallback === undefined) this.refuse(field, `is required (one of ${allowed.join(', ')})`);
      return fallback;
    }
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    return this.fail(field, `must be one of ${allowed.join(', ')}`, fallback);
  }

  integer(field: string, options: { min?: number; max?: number; fallback?: number }): number | undefined {
    const value = this.record[field];
    if (value === undefined || value === null) {
      if (options.fallback === undefined) this.refuse(field, 'is required');
      return options.fallback;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.fail(field, 'must be an integer', undefined);
    if (options.min !== undefined && value < options.min) return this.fail(field, `must be at least ${options.min}`, undefined);
    if (options.max !== undefined && value > options.max) return this.fail(field, `must be at most ${options.max}`, undefined);
    return value;
  }

  /** An optional number or null (capacity estimates). */
  optionalNumber(field: string): number | null {
    const value = this.record[field];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return this.fail(field, 'must be a non-negative number or null', null);
    return value;
  }

  stringList(field: string, options: { required?: boolean; nonEmpty?: boolean; item?: RegExp; itemMessage?: string } = {}): string[] {
    const value = this.record[field];
    if (value === undefined || value === null) {
      if (options.required) this.refuse(field, 'is required');
      return [];
    }
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) return this.fail(field, 'must be a list of strings', []);
    const items = value as string[];
    if (options.nonEmpty && items.length === 0) return this.fail(field, 'must not be empty', []);
    const bad = options.item ? items.find((item) => !options.item?.test(item)) : undefined;
    if (bad !== undefined) return this.fail(field, `"${bad.slice(0, 80)}" ${options.itemMessage ?? 'has an invalid format'}`, []);
    return items;
  }

  /** A `{string: string}` map; numbers and booleans are turned into strings, as Kafka configs are. */
  stringMap(field: string, options: { required?: boolean } = {}): Record<string, string> {
    const value = this.record[field];
    if (value === undefined || value === null) {
      if (options.required) this.refuse(field, 'is required');
      return {};
    }
    if (!isRecord(value)) return this.fail(field, 'must be an object of string values', {});
    const out: Record<string, string> = {};
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string') out[key] = item;
      else if (typeof item === 'number' || typeof item === 'boolean') out[key] = String(item);
      else this.refuse(`${field}.${key}`, 'must be a string');
    }
    return out;
  }

  object(field: string, options: { required?: boolean } = {}): Record<string, unknown> | undefined {
    const value = this.record[field];
    if (value === undefined || value === null) {
      if (options.required) this.refuse(field, 'is required');
      return undefined;
    }
    if (!isRecord(value)) return this.fail(field, 'must be an object', undefined);
    return value;
  }

  /** A nested reader whose refusals are listed under `field.`; merge them back with `adopt`. */
  nested(field: string, options: { required?: boolean } = {}): FieldReader | undefined {
    const value = this.object(field, options);
    return value === undefined ? undefined : new FieldReader(value, `${this.prefix}${field}.`);
  }

  adopt(child: FieldReader | undefined): void {
    if (child) this.problems.push(...child.problems);
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  /** Throws the 400 listing every refused field, if any. */
  done(): void {
    if (this.problems.length > 0) throw invalidFields(this.problems);
  }

  private fail<T>(field: string, message: string, fallback: T): T {
    this.refuse(field, message);
    return fallback;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Kafka's topic-name rule. */
export const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
/** Lenses resource names (connectors, processors, tags): letters, digits, `.`, `_`, `-`. */
export const RESOURCE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$/;

/** Reads an integer path parameter, or answers 400 naming it. */
export function integerParam(name: string, value: string, min = 0): number {
  if (!/^\d{1,15}$/.test(value) || Number(value) < min) throw invalidFields([{ field: name, message: `must be an integer of at least ${min}` }]);
  return Number(value);
}
