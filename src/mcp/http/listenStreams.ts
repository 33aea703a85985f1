import { nodeCrypto } from '../../nodeCrypto';
import { silentLogger, type Logger } from '../../log';
import type { RequestAuthentication } from '../auth/authentication';

/** Caps of the 2026-07-28 `subscriptions/listen` streams (long-lived SSE responses). */
export interface ListenLimits {
  /** Open streams at most (MCP_MAX_LISTEN_STREAMS). */
  maxStreams: number;
  /** Open streams per credential (MCP_MAX_LISTEN_STREAMS_PER_CREDENTIAL). */
  maxStreamsPerCredential: number;
  /** How often each open stream's credential is checked again (HQ introspection, the editor's session). */
  recheckMs: number;
}

export const DEFAULT_LISTEN_LIMITS: ListenLimits = { maxStreams: 1000, maxStreamsPerCredential: 4, recheckMs: 60_000 };

/** The JSON-RPC error code of a refused or ended stream: the one the SDK uses for its own subscription limit. */
const LISTEN_ERROR_CODE = -32603;

/** The stream's place under the caps, held until its response ends. */
export interface ListenLease {
  /**
   * Serves the stream: the response to send instead of the one `serve` makes. For an SSE
   * stream, the same bytes, ended with a JSON-RPC error for the listen request when its
   * credential is no longer valid; anything else (an in-band refusal, a failure) gives the
   * place back at once.
   */
  watch(serve: () => Promise<Response>): Promise<Response>;
}

interface OpenStream {
  credential: string;
  /** Whether the credential still holds (false only when HQ or the editor says it does not). */
  stillValid(): Promise<boolean>;
  end(message: string): void;
}

/** Whether `body` is a `subscriptions/listen` request. */
export function isListenRequest(body: unknown): body is { id: string | number; method: 'subscriptions/listen' } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const { method, id } = body as { method?: unknown; id?: unknown };
  return method === 'subscriptions/listen' && (typeof id === 'string' || typeof id === 'number');
}

/** The key streams are counted under: a digest of the token (never the token), or the signed-out editor. */
export function listenCredential(authentication: Exclude<RequestAuthentication, { kind: 'rejected' }>): string {
  return authentication.kind === 'granted' ? nodeCrypto().createHash('sha256').update(authentication.token).digest('hex') : 'signed-out';
}

/**
 * Whether a credential that was granted is no longer valid, going by a fresh authentication of
 * the same request: HQ says inactive or expired (401), or the editor signed out. HQ being
 * unreachable (503, `unavailable`) proves nothing, and keeps the stream.
 */
export function noLongerValid(now: RequestAuthentication): boolean {
  if (now.kind === 'rejected') return now.status === 401 || now.status === 403;
  if (now.kind === 'signed-out') return now.reason !== 'unavailable';
  return false;
}

/**
 * The open `subscriptions/listen` streams, bounded (RS-28): per credential and in total, a
 * new stream past a cap is refused in-band as the SDK refuses its own limit; every
 * `recheckMs` each stream's credential is checked again and a stream whose credential no
 * longer holds ends with a JSON-RPC error saying why.
 */
export class ListenStreams {
  private readonly open = new Set<OpenStream>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: ListenLimits = DEFAULT_LISTEN_LIMITS,
    private readonly logger: Logger = silentLogger,
  ) {}

  get size(): number {
    return this.open.size;
  }

  /** A place for a new stream of `credential` (request `id`), or the JSON-RPC error body that refuses it. */
  admit(credential: string, id: string | number, stillValid: () => Promise<boolean>): ListenLease | object {
    const own = [...this.open].filter((stream) => stream.credential === credential).length;
    let refusal: string | undefined;
    if (own >= this.limits.maxStreamsPerCredential)
      refusal = `Too many subscriptions/listen streams for this credential (${this.limits.maxStreamsPerCredential} open, the most allowed); close one first`;
    else if (this.open.size >= this.limits.maxStreams)
      refusal = `Too many subscriptions/listen streams on this server (${this.limits.maxStreams} open, the most allowed); try again later`;
    if (refusal !== undefined) {
      this.logger.warn(`Refused a subscriptions/listen stream: ${refusal}`);
      return { jsonrpc: '2.0', id, error: { code: LISTEN_ERROR_CODE, message: refusal } };
    }
    const stream: OpenStream = { credential, stillValid, end: () => {} };
    this.open.add(stream);
    this.timer ??= setInterval(() => void this.recheck(), this.limits.recheckMs).unref();
    const release = () => {
      this.open.delete(stream);
      if (this.open.size === 0 && this.timer !== undefined) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
    return {
      watch: async (serve) => {
        let response: Response;
        try {
          response = await serve();
        } catch (error) {
          release();
          throw error;
        }
        const mediaType = response.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
        if (response.body === null || mediaType !== 'text/event-stream') {
          release();
          return response;
        }
        const body = endableStream(response.body, id, release);
        stream.end = (message) => body.end(message);
        return new Response(body.stream, { status: response.status, statusText: response.statusText, headers: response.headers });
      },
    };
  }

  /** Checks every open stream's credential once; ends those that no longer hold. */
  async recheck(): Promise<void> {
    await Promise.all(
      [...this.open].map(async (stream) => {
        let valid: boolean;
        try {
          valid = await stream.stillValid();
        } catch (error) {
          // A check that fails proves nothing about the credential.
          this.logger.debug(`Could not check a subscriptions/listen stream's credential: ${error instanceof Error ? error.message : String(error)}`);
          return;
        }
        if (valid || !this.open.has(stream)) return;
        this.logger.info('Ended a subscriptions/listen stream: its credential is no longer valid');
        stream.end(
          'The credential this subscription was opened with is no longer valid (revoked, expired or signed out): authenticate again, then listen anew',
        );
      }),
    );
  }
}

/**
 * `body` passed through chunk by chunk; `end(message)` closes it early with one more SSE event,
 * the JSON-RPC error for request `id`, and cancels `body` (the SDK then drops the
 * subscription). `released` runs once, however the stream ends.
 */
function endableStream(
  body: ReadableStream<Uint8Array>,
  id: string | number,
  released: () => void,
): { stream: ReadableStream<Uint8Array>; end(message: string): void } {
  const reader = body.getReader();
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let done = false;
  const finish = () => {
    if (done) return false;
    done = true;
    released();
    return true;
  };
  const stream = new ReadableStream<Uint8Array>({
    start(started) {
      controller = started;
    },
    async pull(pulling) {
      try {
        const chunk = await reader.read();
        if (done) return;
        if (chunk.done) {
          finish();
          pulling.close();
        } else pulling.enqueue(chunk.value);
      } catch (error) {
        if (finish()) pulling.error(error);
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  });
  return {
    stream,
    end: (message) => {
      if (!finish()) return;
      const error = { jsonrpc: '2.0', id, error: { code: LISTEN_ERROR_CODE, message } };
      controller?.enqueue(new TextEncoder().encode(`event: message\ndata: ${JSON.stringify(error)}\n\n`));
      controller?.close();
      void reader.cancel().catch(() => {});
    },
  };
}
