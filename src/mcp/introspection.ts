import { createHash } from 'node:crypto';
import { fingerprint, silentLogger, type Logger } from '../log';

/** The fields of an RFC 7662 introspection answer this server uses. */
export interface IntrospectionAnswer {
  active: boolean;
  scope?: string;
  exp?: number;
  aud?: string | string[];
  token_type?: string;
  sub?: string;
  username?: string;
  client_id?: string;
}

/** Introspection could not give an answer (down, slow, 5xx, non-JSON, oversized): fail closed. */
export class IntrospectionUnavailableError extends Error {
  override readonly name = 'IntrospectionUnavailableError';
}

export interface TokenIntrospectorOptions {
  /** `INTROSPECTION_URL`, default `{LENSES_URL}/oauth2/introspect` (internal URL, split plane). */
  url: string;
  /** `INTROSPECTION_CACHE_TTL` in seconds; 0 turns the cache off. */
  cacheTtlSeconds: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
  logger?: Logger;
}

const MAX_ANSWER_BYTES = 64 * 1024;
const MAX_CACHE_ENTRIES = 10_000;

/**
 * RFC 7662 token introspection against HQ (unauthenticated form POST, as HQ allows with
 * `unauthenticatedIntrospection: true`), with a cache keyed by the token's SHA-256 that
 * keeps an active answer for min(TTL, exp - now).
 */
export class TokenIntrospector {
  private readonly cache = new Map<string, { answer: IntrospectionAnswer; until: number }>();
  /** Introspections in flight, so concurrent first requests with one token ask HQ once. */
  private readonly pending = new Map<string, Promise<IntrospectionAnswer>>();
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly logger: Logger;

  constructor(private readonly options: TokenIntrospectorOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
  }

  /** RFC 7662 §2.1 request, §2.2 answer. Throws `IntrospectionUnavailableError`, never guesses. */
  async introspect(token: string): Promise<IntrospectionAnswer> {
    const key = cacheKey(token);
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) return cached.answer;
    if (cached) this.cache.delete(key);
    // With the cache off every request is validated afresh (e.g. for instant revocation).
    if (this.options.cacheTtlSeconds <= 0) return this.ask(token);
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const asking: Promise<IntrospectionAnswer> = this.ask(token)
      .then((answer) => {
        // Evicted while in flight (HQ answered 401 meanwhile): use the answer once, cache nothing (RS-04).
        if (this.pending.get(key) === asking) this.remember(key, answer);
        return answer;
      })
      .finally(() => {
        if (this.pending.get(key) === asking) this.pending.delete(key);
      });
    this.pending.set(key, asking);
    return asking;
  }

  /** Drops the cached answer of `token` (HQ answered 401 to a call made with it). */
  evict(token: string): void {
    const key = cacheKey(token);
    this.cache.delete(key);
    this.pending.delete(key);
  }

  private remember(key: string, answer: IntrospectionAnswer): void {
    if (!answer.active || this.options.cacheTtlSeconds <= 0 || typeof answer.exp !== 'number') return;
    const until = Math.min(this.now() + this.options.cacheTtlSeconds * 1000, answer.exp * 1000);
    if (until <= this.now()) return;
    if (this.cache.size >= MAX_CACHE_ENTRIES) this.prune();
    this.cache.set(key, { answer, until });
  }

  private prune(): void {
    const now = this.now();
    for (const [key, entry] of this.cache) if (entry.until <= now) this.cache.delete(key);
    if (this.cache.size >= MAX_CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
  }

  private async ask(token: string): Promise<IntrospectionAnswer> {
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(this.options.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
        redirect: 'manual',
      });
      text = await readLimited(response, MAX_ANSWER_BYTES);
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : error instanceof IntrospectionUnavailableError ? error.message : 'could not be reached';
      this.logger.warn(`Introspection of token ${fingerprint(token)} failed: ${reason}`);
      throw new IntrospectionUnavailableError(`The Lenses token introspection endpoint ${reason}`);
    }
    if (!response.ok) {
      this.logger.warn(`Introspection of token ${fingerprint(token)} answered HTTP ${response.status}`);
      throw new IntrospectionUnavailableError(`The Lenses token introspection endpoint answered HTTP ${response.status}`);
    }
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      throw new IntrospectionUnavailableError('The Lenses token introspection endpoint answered something that is not JSON');
    }
    return checkedAnswer(answer);
  }
}

/** RFC 7662 §2.2 field types: an answer that breaks them is no answer (fail closed), never a crash. */
function checkedAnswer(answer: unknown): IntrospectionAnswer {
  if (!answer || typeof answer !== 'object' || Array.isArray(answer)) throw new IntrospectionUnavailableError('The Lenses token introspection answer is not a JSON object');
  const fields = answer as Record<string, unknown>;
  if (typeof fields.active !== 'boolean') throw new IntrospectionUnavailableError('The Lenses token introspection answer has no boolean "active"');
  const wrong: string[] = ['scope', 'token_type', 'sub', 'username', 'client_id'].filter((name) => fields[name] !== undefined && typeof fields[name] !== 'string');
  if (fields.exp !== undefined && typeof fields.exp !== 'number') wrong.push('exp');
  const aud = fields.aud;
  if (aud !== undefined && typeof aud !== 'string' && !(Array.isArray(aud) && aud.every((item) => typeof item === 'string'))) wrong.push('aud');
  if (wrong.length > 0) throw new IntrospectionUnavailableError(`The Lenses token introspection answer has malformed field(s): ${wrong.join(', ')}`);
  return fields as unknown as IntrospectionAnswer;
}

function cacheKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

async function readLimited(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new IntrospectionUnavailableError('answered more than 64 KiB');
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new IntrospectionUnavailableError('answered more than 64 KiB');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
