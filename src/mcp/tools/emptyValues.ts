/**
 * The official server (Python) tests optional arguments for truthiness, so an empty string,
 * list or object means "not given" and is left out of the request. In JavaScript `{}` and
 * `[]` are truthy, so the tools say it with these instead of `value ? … : …`.
 */

/** An optional argument the official server tests for truthiness (never a number or boolean: 0 and false are values). */
type Optional = string | readonly unknown[] | Readonly<Record<string, unknown>>;

/** True when `value` is not null, undefined, '', [] or {}. */
export function isGiven<V extends Optional>(value: V | null | undefined): value is V {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0;
  return Object.keys(value).length > 0;
}

/** `value` when it is given, else undefined (a query parameter left out). */
export function givenOrUndefined<V extends Optional>(value: V | null | undefined): V | undefined {
  return isGiven(value) ? value : undefined;
}

/** `{ [key]: value }` when `value` is given, else `{}`: spread into a request body. */
export function entryIfGiven<K extends string, V extends Optional>(key: K, value: V | null | undefined): Partial<Record<K, V>> {
  return isGiven(value) ? ({ [key]: value } as Record<K, V>) : {};
}
