import { nodeCrypto } from '../../nodeCrypto';

/** How long a confirmation the server asked for can be answered (people read, then type a name). */
export const CONFIRMATION_STATE_TTL_MS = 10 * 60_000;

/** The fewest characters LENSES_CONFIRMATION_KEY may have (an HMAC-SHA256 key of 256 bits). */
export const MIN_CONFIRMATION_KEY_CHARS = 32;

/**
 * Why an answer to a confirmation was not taken: `forged` (no state, or one this server did not
 * sign), `replayed` (a state already used, or issued for another tool, argument set or
 * credential), `expired`.
 */
export type ConfirmationStateRefusal = 'forged' | 'replayed' | 'expired';

/** The call a confirmation is asked for, and answered for. */
export interface ConfirmableCall {
  tool: string;
  arguments: Readonly<Record<string, unknown>>;
  /** The credential the call carries (only a keyed digest of it goes into the state). */
  token: string;
}

interface StatePayload {
  /** Tool name. */
  t: string;
  /** SHA-256 of the arguments (canonical JSON). */
  a: string;
  /** The credential's keyed fingerprint. */
  c: string;
  /** Expiry, epoch ms. */
  e: number;
  /** Nonce: each state confirms one call. */
  n: string;
}

export interface ConfirmationStatesOptions {
  /** The HMAC key shared by replicas (LENSES_CONFIRMATION_KEY); default a random per-process key. */
  key?: string;
  now?: () => number;
  ttlMs?: number;
}

/**
 * The `requestState` of a 2026-07-28 `input_required` confirmation: signed by the server
 * (HMAC-SHA256) over the tool, a digest of the arguments, the credential's fingerprint, an
 * expiry and a nonce, so the retried call runs only with an answer to a question this server
 * asked, for this very call, once. The used nonces are kept in this process only.
 */
export class ConfirmationStates {
  /** The MAC key: the configured one, else random, drawn when the first state is issued or checked. */
  private key: Buffer | undefined;
  private readonly now: () => number;
  private readonly ttlMs: number;
  /** Nonce → its state's expiry: a state is taken once; expired ones are forgotten (they fail as expired anyway). */
  private readonly used = new Map<string, number>();

  constructor(options: ConfirmationStatesOptions = {}) {
    if (options.key !== undefined && options.key.length < MIN_CONFIRMATION_KEY_CHARS) {
      throw new RangeError(`The confirmation key must have at least ${MIN_CONFIRMATION_KEY_CHARS} characters`);
    }
    this.key = options.key !== undefined ? Buffer.from(options.key, 'utf8') : undefined;
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? CONFIRMATION_STATE_TTL_MS;
  }

  private macKey(): Buffer {
    return (this.key ??= nodeCrypto().randomBytes(32));
  }

  /** A new state for the question about `call`. */
  issue(call: ConfirmableCall): string {
    const payload: StatePayload = {
      t: call.tool,
      a: argumentsDigest(call.arguments),
      c: this.credentialTag(call.token),
      e: this.now() + this.ttlMs,
      n: nodeCrypto().randomBytes(16).toString('base64url'),
    };
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `v1.${body}.${this.mac(body)}`;
  }

  /** Undefined when `state` is a valid, unexpired, unused state for `call` (it is used up); else why not. */
  take(state: unknown, call: ConfirmableCall): ConfirmationStateRefusal | undefined {
    const payload = this.verified(state);
    if (payload === undefined) return 'forged';
    if (payload.t !== call.tool || payload.a !== argumentsDigest(call.arguments) || !sameText(payload.c, this.credentialTag(call.token))) return 'replayed';
    const now = this.now();
    if (payload.e <= now) return 'expired';
    this.forgetExpired(now);
    if (this.used.has(payload.n)) return 'replayed';
    this.used.set(payload.n, payload.e);
    return undefined;
  }

  private verified(state: unknown): StatePayload | undefined {
    if (typeof state !== 'string' || state.length > 2_000) return undefined;
    const [version, body, mac, ...rest] = state.split('.');
    if (version !== 'v1' || body === undefined || mac === undefined || rest.length > 0 || !sameText(mac, this.mac(body))) return undefined;
    try {
      const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      return isPayload(payload) ? payload : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(body: string): string {
    return nodeCrypto().createHmac('sha256', this.macKey()).update(`lenses-mcp.confirmation.v1\0${body}`).digest('base64url');
  }

  /** Keyed, so the state (readable by the client) never carries a digest of the token anyone could compare. */
  private credentialTag(token: string): string {
    return nodeCrypto().createHmac('sha256', this.macKey()).update(`lenses-mcp.credential\0${token}`).digest('base64url').slice(0, 22);
  }

  private forgetExpired(now: number): void {
    for (const [nonce, expires] of this.used) if (expires <= now) this.used.delete(nonce);
  }
}

let processStates: ConfirmationStates | undefined;

/** The process's own states (random key): where no governance names a shared key. */
export function processConfirmationStates(): ConfirmationStates {
  processStates ??= new ConfirmationStates();
  return processStates;
}

/** SHA-256 of the arguments as canonical JSON (object keys sorted), so key order does not matter. */
export function argumentsDigest(args: Readonly<Record<string, unknown>>): string {
  return nodeCrypto().createHash('sha256').update(canonicalJson(args)).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && nodeCrypto().timingSafeEqual(left, right);
}

function isPayload(value: unknown): value is StatePayload {
  if (typeof value !== 'object' || value === null) return false;
  const payload = value as Record<string, unknown>;
  return (
    typeof payload.t === 'string' &&
    typeof payload.a === 'string' &&
    typeof payload.c === 'string' &&
    typeof payload.e === 'number' &&
    typeof payload.n === 'string'
  );
}
