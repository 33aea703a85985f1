import { nodeCrypto } from '../../nodeCrypto';
import { httpErrorIn, postForm } from '../../http';
import { fingerprint, silentLogger, type Logger } from '../../log';

/** The fields of an RFC 7662 introspection answer this server uses. */
export interface IntrospectionAnswer {
  active: boolean;
  /** Space-separated (RFC 7662 §2.2), or a list of strings as HQ's own API models scopes. */
  scope?: string | string[];
  exp?: number;
  aud?: string | string[];
  token_type?: string;
  sub?: string;
  username?: string;
  client_id?: string;
}

/** Introspection could not give an answer (down, slow, 5xx, non-JSON, oversized): fail closed. */
export class IntrospectionUnavailableError extends Error {
  override readonly name: string = 'IntrospectionUnavailableError';
  /** Seconds a client should wait before retrying (the 503's `Retry-After`). */
  readonly retryAfterSeconds: number = 5;
}

/** Too many introspections are in flight already (RS-19): refused without asking HQ. */
export class IntrospectionBusyError extends IntrospectionUnavailableError {
  override readonly name = 'IntrospectionBusyError';
  override readonly retryAfterSeconds = 1;
}

/** HQ refuses introspection without client authentication: a setting of HQ, not a bad token. */
export class IntrospectionRefusedError extends IntrospectionUnavailableError {
  override readonly name = 'IntrospectionRefusedError';
  override readonly retryAfterSeconds = 60;
}

/** What HQ needs so this server can check tokens (said in logs, 503s and tool answers). */
export const UNAUTHENTICATED_INTROSPECTION_HINT = "ask your Lenses admin to set `unauthenticatedIntrospection: true` in Lenses HQ's OAuth configuration";

export interface TokenIntrospectorOptions {
  /**
   * The RFC 7662 endpoint: `INTROSPECTION_URL` (default `{LENSES_URL}/oauth2/introspect`, the
   * internal URL, split plane), or a function that finds it (the embedded server reads HQ's
   * metadata); it is called once, again only after it failed.
   */
  url: string | (() => Promise<string>);
  /**
   * `INTROSPECTION_CACHE_TTL` in seconds. 0 (the default of the bin): every request is
   * validated by an introspection that started no earlier than it arrived. Above 0: an
   * active answer is reused for min(TTL, exp - now).
   */
  cacheTtlSeconds: number;
  /** Introspections in flight at most (RS-19); past it `IntrospectionBusyError`. Default 32. */
  maxInFlight?: number;
  /** Seconds an inactive answer is reused for, by token hash (RS-19). Default 10; 0 = off. */
  inactiveCacheSeconds?: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
  logger?: Logger;
}

export const DEFAULT_MAX_INTROSPECTIONS_IN_FLIGHT = 32;
export const DEFAULT_INACTIVE_CACHE_SECONDS = 10;
const MAX_ANSWER_BYTES = 64 * 1024;
const MAX_CACHE_ENTRIES = 10_000;
/** How long a token HQ called active keeps its claim on the reserved introspection slots. */
const KNOWN_ACTIVE_MS = 60 * 60_000;

/** The introspection of one token now in flight, and the one that will start when it ends. */
interface Rounds {
  current: Promise<IntrospectionAnswer>;
  /** Requests that arrived while `current` was in flight wait for this one (RS-18). */
  next?: Promise<IntrospectionAnswer>;
}

/**
 * RFC 7662 token introspection against HQ (unauthenticated form POST, as HQ allows with
 * `unauthenticatedIntrospection: true`).
 *
 * RS-18: requests carrying the same token share one introspection that started no earlier
 * than they arrived; a request arriving while one is in flight waits for the next round, so
 * no request is authorized by an answer older than itself, and one token costs HQ at most
 * one introspection at a time. A positive cache (`cacheTtlSeconds` > 0) is opt-in.
 *
 * RS-19: at most `maxInFlight` introspections at once, a quarter of them kept for tokens HQ
 * called active before (a flood of unknown bearers cannot crowd out signed-in users);
 * inactive answers are reused for a few seconds. Everything is keyed by the token's SHA-256.
 */
export class TokenIntrospector {
  private readonly cache = new Map<string, { answer: IntrospectionAnswer; until: number }>();
  private readonly inactive = new Map<string, number>();
  /** Tokens HQ called active (until when): they may use the reserved slots. Never used to authorize. */
  private readonly knownActive = new Map<string, number>();
  private readonly rounds = new Map<string, Rounds>();
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly maxInFlightUnknown: number;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly logger: Logger;
  private endpoint: Promise<string> | undefined;
  /** HQ refused unauthenticated introspection and it was logged: say it once, not per request. */
  private refusalLogged = false;
  /** When the cap was last reported (one warning a minute at most during a flood). */
  private busyLoggedAt = -Infinity;

  constructor(private readonly options: TokenIntrospectorOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_MAX_INTROSPECTIONS_IN_FLIGHT);
    this.maxInFlightUnknown = Math.max(1, this.maxInFlight - Math.max(1, Math.floor(this.maxInFlight / 4)));
  }

  /** RFC 7662 §2.1 request, §2.2 answer. Throws `IntrospectionUnavailableError` (or a subclass), never guesses. */
  async introspect(token: string): Promise<IntrospectionAnswer> {
    const key = cacheKey(token);
    const now = this.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.answer;
    if (cached) this.cache.delete(key);
    const inactiveUntil = this.inactive.get(key);
    if (inactiveUntil !== undefined && inactiveUntil > now) return { active: false };
    if (inactiveUntil !== undefined) this.inactive.delete(key);
    return this.round(key, token);
  }

  /** Drops everything known of `token` (HQ answered 401 to a call made with it). */
  evict(token: string): void {
    const key = cacheKey(token);
    this.cache.delete(key);
    this.knownActive.delete(key);
    // An answer still in flight is used by its waiters once, and not cached (RS-04).
    this.rounds.delete(key);
  }

  private round(key: string, token: string): Promise<IntrospectionAnswer> {
    const rounds = this.rounds.get(key);
    if (!rounds) return this.begin(key, token);
    // With an opt-in cache an answer already on its way is fresh enough.
    if (this.options.cacheTtlSeconds > 0) return rounds.current;
    // A round that fails fails its waiters too: a refusal is never too old to use, and a
    // hanging HQ costs a request one timeout, not two (the next round starts after it).
    rounds.next ??= rounds.current.then(() => this.begin(key, token));
    return rounds.next;
  }

  private begin(key: string, token: string): Promise<IntrospectionAnswer> {
    const asking: Promise<IntrospectionAnswer> = this.admitted(key, token)
      .then(
        (answer) => {
          if (this.rounds.get(key)?.current === asking) this.remember(key, answer);
          return answer;
        },
        (error: unknown) => {
          // Its waiters already hold the failure: the next request starts a fresh round.
          if (this.rounds.get(key)?.current === asking) this.rounds.delete(key);
          throw error;
        },
      )
      .finally(() => {
        const rounds = this.rounds.get(key);
        if (rounds?.current === asking && !rounds.next) this.rounds.delete(key);
      });
    const rounds = this.rounds.get(key);
    if (rounds) {
      rounds.current = asking;
      rounds.next = undefined;
    } else {
      this.rounds.set(key, { current: asking });
    }
    return asking;
  }

  /** Asks HQ if a slot is free: unknown tokens get three quarters of them, tokens HQ called active all. */
  private async admitted(key: string, token: string): Promise<IntrospectionAnswer> {
    const known = (this.knownActive.get(key) ?? 0) > this.now();
    if (this.inFlight >= (known ? this.maxInFlight : this.maxInFlightUnknown)) {
      if (this.now() - this.busyLoggedAt >= 60_000) {
        this.busyLoggedAt = this.now();
        this.logger.warn(
          `${this.inFlight} token introspections in flight (the cap is ${this.maxInFlight}, ${this.maxInFlightUnknown} for tokens not seen active): refusing more with 503 for now`,
        );
      }
      throw new IntrospectionBusyError(`Too many access tokens are being checked with Lenses right now (${this.inFlight} at once)`);
    }
    this.inFlight += 1;
    try {
      return await this.ask(token);
    } finally {
      this.inFlight -= 1;
    }
  }

  private remember(key: string, answer: IntrospectionAnswer): void {
    const now = this.now();
    if (!answer.active) {
      this.knownActive.delete(key);
      const seconds = this.options.inactiveCacheSeconds ?? DEFAULT_INACTIVE_CACHE_SECONDS;
      if (seconds > 0) bounded(this.inactive, now).set(key, now + seconds * 1000);
      return;
    }
    const exp = typeof answer.exp === 'number' ? answer.exp * 1000 : now;
    if (exp > now) bounded(this.knownActive, now).set(key, Math.min(exp, now + KNOWN_ACTIVE_MS));
    if (this.options.cacheTtlSeconds <= 0) return;
    const until = Math.min(now + this.options.cacheTtlSeconds * 1000, exp);
    if (until <= now) return;
    if (this.cache.size >= MAX_CACHE_ENTRIES) {
      for (const [entry, { until: ends }] of this.cache) if (ends <= now) this.cache.delete(entry);
      if (this.cache.size >= MAX_CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(key, { answer, until });
  }

  private async ask(token: string): Promise<IntrospectionAnswer> {
    const url = await this.endpointUrl();
    let reply: IntrospectionReply;
    try {
      reply = await postIntrospection(this.fetchImpl, url, token, this.options.timeoutMs ?? 5000);
    } catch (error) {
      const reason = outboundFailure(error);
      this.logger.warn(`Introspection of token ${fingerprint(token)} failed: ${reason}`);
      throw new IntrospectionUnavailableError(`The Lenses token introspection endpoint ${reason}`);
    }
    if (refusesUnauthenticated(reply)) {
      const refusal = `Lenses HQ refuses unauthenticated token introspection (HTTP ${reply.status}${reply.error ? ` ${reply.error}` : ''})`;
      if (!this.refusalLogged)
        this.logger.error(`${refusal} at ${url}: access tokens cannot be checked until it is allowed; ${UNAUTHENTICATED_INTROSPECTION_HINT}.`);
      this.refusalLogged = true;
      throw new IntrospectionRefusedError(`${refusal}: ${UNAUTHENTICATED_INTROSPECTION_HINT}`);
    }
    if (reply.status !== 200) {
      this.logger.warn(`Introspection of token ${fingerprint(token)} answered HTTP ${reply.status}`);
      throw new IntrospectionUnavailableError(`The Lenses token introspection endpoint answered HTTP ${reply.status}`);
    }
    let answer: unknown;
    try {
      answer = JSON.parse(reply.body);
    } catch {
      throw new IntrospectionUnavailableError('The Lenses token introspection endpoint answered something that is not JSON');
    }
    const checked = checkedAnswer(answer);
    if (this.refusalLogged) this.logger.info('Lenses HQ answers token introspection again');
    this.refusalLogged = false;
    return checked;
  }

  private endpointUrl(): Promise<string> {
    const { url } = this.options;
    if (typeof url === 'string') return Promise.resolve(url);
    const finding = (this.endpoint ??= url().catch((error: unknown) => {
      if (this.endpoint === finding) this.endpoint = undefined;
      if (error instanceof IntrospectionUnavailableError) throw error;
      throw new IntrospectionUnavailableError(
        `The Lenses token introspection endpoint could not be found: ${error instanceof Error ? error.message : String(error)}`,
      );
    }));
    return finding;
  }
}

/** What HQ's introspection endpoint answered, read within the size limit. */
interface IntrospectionReply {
  status: number;
  body: string;
  /** The OAuth `error` of a JSON error body, when there is one. */
  error?: string;
}

/**
 * The one HTTP call of introspection (RFC 7662 §2.1): an unauthenticated form POST, no
 * redirects followed (the token is in the body), the answer read up to 64 KiB.
 */
async function postIntrospection(fetchImpl: typeof fetch, url: string, token: string, timeoutMs: number): Promise<IntrospectionReply> {
  // INTROSPECTION_URL is often a plain-http in-cluster address: the https rule is the operator's call here.
  const response = await postForm(
    url,
    { token, token_type_hint: 'access_token' },
    { fetch: fetchImpl, timeoutMs, maxResponseBytes: MAX_ANSWER_BYTES, allowInsecureHttp: true },
  );
  return { status: response.status, body: response.text, error: response.status === 200 ? undefined : oauthErrorOf(response.text) };
}

/** RFC 6749 §5.2: HQ wants client authentication (HQ's `unauthenticatedIntrospection` is off). */
function refusesUnauthenticated(reply: IntrospectionReply): boolean {
  if (reply.status === 401 || reply.status === 403) return true;
  return reply.status === 400 && (reply.error === 'invalid_client' || reply.error === 'invalid_request' || reply.error === 'unauthorized_client');
}

function oauthErrorOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed.error === 'string' && /^[\x20-\x7e]{1,64}$/.test(parsed.error) ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

/** RFC 7662 §2.2 field types: an answer that breaks them is no answer (fail closed), never a crash. */
function checkedAnswer(answer: unknown): IntrospectionAnswer {
  if (!answer || typeof answer !== 'object' || Array.isArray(answer))
    throw new IntrospectionUnavailableError('The Lenses token introspection answer is not a JSON object');
  const fields = answer as Record<string, unknown>;
  if (typeof fields.active !== 'boolean') throw new IntrospectionUnavailableError('The Lenses token introspection answer has no boolean "active"');
  const wrong: string[] = ['token_type', 'sub', 'username', 'client_id'].filter((name) => fields[name] !== undefined && typeof fields[name] !== 'string');
  if (fields.exp !== undefined && typeof fields.exp !== 'number') wrong.push('exp');
  // `scope` as RFC 7662 writes it (one string) or as a list, which the official server also accepts.
  for (const name of ['scope', 'aud']) if (fields[name] !== undefined && !isStringOrStrings(fields[name])) wrong.push(name);
  if (wrong.length > 0) throw new IntrospectionUnavailableError(`The Lenses token introspection answer has malformed field(s): ${wrong.join(', ')}`);
  return fields as unknown as IntrospectionAnswer;
}

function isStringOrStrings(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'));
}

function cacheKey(token: string): string {
  return nodeCrypto().createHash('sha256').update(token).digest('hex');
}

/** `map` with room for one more entry: expired ones go first, then the oldest. */
function bounded<K>(map: Map<K, number>, now: number): Map<K, number> {
  if (map.size < MAX_CACHE_ENTRIES) return map;
  for (const [key, until] of map) if (until <= now) map.delete(key);
  if (map.size >= MAX_CACHE_ENTRIES) map.delete(map.keys().next().value as K);
  return map;
}

/** Why an outbound call of introspection or its metadata gave no answer, in words naming no host. */
export function outboundFailure(error: unknown): string {
  switch (httpErrorIn(error)?.code) {
    case 'timeout':
      return 'timed out';
    case 'too_large':
      return 'answered more than the size limit';
    case 'redirected':
      return 'answered with a redirect, which is never followed';
    default:
      return 'could not be reached';
  }
}
