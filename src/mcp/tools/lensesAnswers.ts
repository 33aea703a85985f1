/** Reading Lenses answers whose shape varies between Lenses versions, without trusting it. */

/** Lenses answered with a shape the tool cannot read (e.g. an object where a list was expected). */
export class UnexpectedLensesAnswerError extends Error {
  override readonly name = 'UnexpectedLensesAnswerError';
}

type FieldType = { string: string; number: number; boolean: boolean };

/** `value[key]` when `value` is an object and the field has the given type. */
export function field<K extends keyof FieldType>(value: unknown, key: string, type: K): FieldType[K] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const found = (value as Record<string, unknown>)[key];
  return typeof found === type ? (found as FieldType[K]) : undefined;
}

/** `value[key]` when it is an array, else []. */
export function arrayOf(value: unknown, key: string): unknown[] {
  if (typeof value !== 'object' || value === null) return [];
  const found = (value as Record<string, unknown>)[key];
  return Array.isArray(found) ? found : [];
}

/** The answer itself when it is a list, or its `key` list (`{connectors: [...]}`). */
export function listOf(answer: unknown, key?: string): unknown[] {
  const list = key === undefined ? answer : typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>)[key] : undefined;
  if (Array.isArray(list)) return list;
  throw new UnexpectedLensesAnswerError(
    `Lenses answered with ${describe(answer)} where ${key === undefined ? 'a list' : `an object with a "${key}" list`} was expected`,
  );
}

function describe(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return `an object (keys: ${Object.keys(value).slice(0, 5).join(', ') || 'none'})`;
  return `a ${typeof value}`;
}
