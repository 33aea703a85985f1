/**
 * What a protected resource said in the `WWW-Authenticate: Bearer …` of its 401 or 403
 * (RFC 6750 §3, RFC 9728 §5.1): where its metadata is, which scopes the request needs,
 * and the error.
 */
export interface BearerChallenge {
  /** `resource_metadata`: the URL of its RFC 9728 protected-resource metadata. */
  resourceMetadata?: string;
  /** `scope`, split on spaces: the scopes this request needs (authoritative for it). */
  scopes?: string[];
  /** `error`, e.g. `invalid_token` or `insufficient_scope`. */
  error?: string;
}

/**
 * The Bearer challenge of a `WWW-Authenticate` header value (one or several challenges,
 * RFC 9110 §11.6.1); undefined when there is none. Parameter names are case-insensitive,
 * values quoted strings (with `\` escapes) or tokens.
 */
export function parseBearerChallenge(header: string | null | undefined): BearerChallenge | undefined {
  if (!header) return undefined;
  const start = /(?:^|,)\s*bearer(?=\s|,|$)/i.exec(header);
  if (!start) return undefined;
  const rest = header.slice(start.index + start[0].length);
  const params = new Map<string, string>();
  // name=value pairs until the next scheme (a token followed by a space and not by '=').
  const pair = /\s*,?\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))/y;
  for (let match = pair.exec(rest); match; match = pair.exec(rest)) {
    const name = match[1].toLowerCase();
    if (!params.has(name)) params.set(name, match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]);
  }
  const scope = params.get('scope');
  const scopes = scope === undefined ? undefined : scope.split(' ').filter((word) => word.length > 0);
  return {
    resourceMetadata: params.get('resource_metadata') || undefined,
    scopes: scopes && scopes.length > 0 ? scopes : undefined,
    error: params.get('error') || undefined,
  };
}
