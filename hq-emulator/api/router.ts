import { ApiProblem, badRequest, invalidFields } from './http';

/**
 * A small method + path-pattern router. The raw path is split on `/` first and each
 * segment is URL-decoded once afterwards, so `%2F` stays inside its segment; a decoded
 * parameter that is `.` or `..`, or holds `/`, `\` or control characters, is refused with 400
 * (`orders..v2` is a legal Kafka topic name and is served).
 */

type Segment = { kind: 'literal'; text: string } | { kind: 'param'; name: string };

interface Entry<T> {
  method: string;
  segments: Segment[];
  value: T;
}

export type RouteMatch<T> =
  { kind: 'found'; value: T; params: Record<string, string> } | { kind: 'method-not-allowed'; allowed: string[] } | { kind: 'not-found' };

export class Router<T> {
  private readonly entries: Entry<T>[] = [];

  add(method: string, pattern: string, value: T): void {
    const segments = splitPath(pattern).map<Segment>((part) =>
      part.startsWith(':') ? { kind: 'param', name: part.slice(1) } : { kind: 'literal', text: part },
    );
    this.entries.push({ method, segments, value });
  }

  /** Matches a raw (still percent-encoded) path without its query string. */
  match(method: string, rawPath: string): RouteMatch<T> {
    const decoded = splitPath(rawPath).map(decodeSegment);
    const allowed = new Set<string>();
    for (const entry of this.entries) {
      const params = matchSegments(entry.segments, decoded);
      if (!params) continue;
      if (entry.method !== method) {
        allowed.add(entry.method);
        continue;
      }
      checkParams(params);
      return { kind: 'found', value: entry.value, params };
    }
    return allowed.size > 0 ? { kind: 'method-not-allowed', allowed: [...allowed] } : { kind: 'not-found' };
  }
}

function splitPath(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('The request path has malformed percent-encoding');
  }
}

function matchSegments(pattern: readonly Segment[], decoded: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== decoded.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index++) {
    const segment = pattern[index];
    if (segment.kind === 'literal') {
      if (segment.text !== decoded[index]) return undefined;
    } else {
      params[segment.name] = decoded[index];
    }
  }
  return params;
}

// eslint-disable-next-line no-control-regex
const UNSAFE_PARAM = /[/\\\u0000-\u001f\u007f]/;

/** A decoded path parameter must name one thing: never another route, never empty. */
function checkParams(params: Record<string, string>): void {
  const refused = Object.entries(params)
    .filter(([, value]) => value.length === 0 || value === '.' || value === '..' || UNSAFE_PARAM.test(value))
    .map(([field]) => ({ field, message: "must not be empty, '.' or '..', or contain '/', '\\' or control characters" }));
  if (refused.length > 0) throw invalidFields(refused);
}

/** 405 with the methods the path does accept. */
export function methodNotAllowed(allowed: readonly string[]): ApiProblem {
  return new ApiProblem(405, 'method-not-allowed', 'Method Not Allowed', `This route accepts ${allowed.join(', ')}`, undefined, { Allow: allowed.join(', ') });
}

/** Splits a request target into its raw path and raw query (everything after the first `?`). */
export function splitUrl(target: string): [path: string, query: string] {
  const index = target.indexOf('?');
  return index < 0 ? [target, ''] : [target.slice(0, index), target.slice(index + 1)];
}
