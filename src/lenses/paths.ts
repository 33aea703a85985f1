import { UnsafePathSegmentError } from './errors';

/**
 * True when `value` can be put in one URL path segment without changing the route:
 * not empty, no separators, no dot segments, no percent-encoding, no control characters.
 */
export function isSafePathSegment(value: string): boolean {
  if (value.length === 0 || value === '.' || value.includes('..')) return false;
  // eslint-disable-next-line no-control-regex
  return !/[/\\%?#\u0000-\u001f\u007f]/.test(value);
}

/** Encodes one path segment, refusing anything {@link isSafePathSegment} refuses. */
export function pathSegment(value: string | number): string {
  const text = String(value);
  if (!isSafePathSegment(text)) throw new UnsafePathSegmentError(text);
  return encodeURIComponent(text);
}

/**
 * Tagged template for HQ paths: every interpolated value is checked and encoded as one
 * segment, so `path\`/api/topics/${name}\`` can never reach another route.
 */
export function path(strings: TemplateStringsArray, ...values: ReadonlyArray<string | number>): string {
  return strings.reduce((out, literal, index) => out + literal + (index < values.length ? pathSegment(values[index]) : ''), '');
}
