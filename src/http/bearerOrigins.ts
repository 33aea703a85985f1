import { HttpError } from './errors';

/**
 * The one rule for which origins may receive a Lenses bearer (CL-16). The core asks it
 * before every request that carries `Authorization: Bearer`, and the SQL WebSocket
 * handshake asks it too.
 */
export interface BearerOrigins {
  /** undefined when `url` may receive the bearer; otherwise one sentence saying why not. */
  refusal(url: URL): string | undefined;
}

/** Only the origin of `base` (a server talking to its own configured `LENSES_URL`). */
export function sameOriginAs(base: string | URL): BearerOrigins {
  const origin = originOf(base);
  return {
    refusal: (url) =>
      origin !== undefined && url.origin === origin ? undefined : `a Lenses token goes only to ${origin ?? 'the configured Lenses URL'}, not to ${url.origin}`,
  };
}

export interface LensesBearerOriginSources {
  /** `lenses.url` from the user's settings (never a workspace's); "" when unset. */
  userHqUrl(): string;
  /** Origins of remote MCP servers the user confirmed (point 2 of issue 9). */
  confirmedMcpOrigins(): readonly string[];
}

/**
 * The editor's rule: the HQ origin of the user-level `lenses.url`, plus remote MCP server
 * origins the user confirmed. Read on every check, so a change of settings or a forgotten
 * confirmation applies to the very next request.
 */
export function lensesBearerOrigins(sources: LensesBearerOriginSources): BearerOrigins {
  return {
    refusal(url) {
      const hq = originOf(sources.userHqUrl());
      if (hq !== undefined && url.origin === hq) return undefined;
      if (sources.confirmedMcpOrigins().includes(url.origin)) return undefined;
      return `${url.origin} is neither your Lenses HQ (lenses.url in your user settings) nor a remote MCP server you confirmed`;
    },
  };
}

/** Throws `bearer_refused` unless `origins` lets `url` receive the bearer. ws(s) URLs count as http(s). */
export function assertBearerAllowed(url: URL, origins: BearerOrigins): void {
  const reason = origins.refusal(asHttp(url));
  if (reason !== undefined) throw new HttpError('bearer_refused', `Not sending a Lenses token: ${reason}.`);
}

/** The origin (`scheme://host[:port]`) of a URL; undefined for "" or an invalid one. */
export function originOf(url: string | URL): string | undefined {
  if (url === '') return undefined;
  try {
    const parsed = asHttp(url instanceof URL ? url : new URL(url));
    return parsed.origin === 'null' ? undefined : parsed.origin;
  } catch {
    return undefined;
  }
}

function asHttp(url: URL): URL {
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return url;
  const copy = new URL(url.href);
  copy.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return copy;
}
