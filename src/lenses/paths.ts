import { UnsafePathSegmentError } from './errors';

/** The longest value one path segment may hold; longer ones are refused before any HQ call. */
export const MAX_PATH_SEGMENT_LENGTH = 1024;

/**
 * True when `value` can be put in one URL path segment without changing the route:
 * not empty, not a dot segment (exactly `.` or `..`; `orders..v2` is a legal Kafka topic
 * name), no separators, no percent-encoding, no control characters, not over
 * {@link MAX_PATH_SEGMENT_LENGTH} characters.
 */
export function isSafePathSegment(value: string): boolean {
  if (value.length === 0 || value.length > MAX_PATH_SEGMENT_LENGTH || value === '.' || value === '..') return false;
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
