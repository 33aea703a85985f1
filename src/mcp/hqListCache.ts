import { nodeCrypto } from '../nodeCrypto';

/**
 * The HQ routes whose GET answers are whole lists (after `/api/v1/environments/{name}/proxy`
 * for an environment's agent routes). The tools page through these lists themselves, so an
 * agent walking every page would otherwise make HQ send the whole list again for each page.
 * Single items (a topic, a connector, an approval request) are not here: they always go to HQ.
 */
const LIST_ROUTES: ReadonlySet<string> = new Set([
  '/api/v1/environments',
  '/api/topics',
  '/api/consumers',
  '/api/kafka-connect/connectors',
  '/api/metadata/topics',
  '/api/v1/metadata/topics',
  '/api/v1/datasets',
  '/api/v1/approvals',
  '/api/v2/streams',
  '/api/v1/deployment/targets',
]);

const ENVIRONMENT_PROXY = /^\/api\/v1\/environments\/([^/]+)\/proxy(\/.*)?$/;

/** HQ's own routes (environments, datasets, approvals); datasets mirror every environment's topics. */
const HQ_AREA = 'hq';

export interface HqListCacheOptions {
  /** How long an answer is reused after it was last used (default 5 s): an agent paging keeps it. */
  ttlMs?: number;
  /** How long an answer is reused at most, from when HQ sent it, however often it is used (default 30 s). */
  maxAgeMs?: number;
  /** Most bytes of answers held, over all credentials (default 32 MiB); the least recently used go first. */
  maxBytes?: number;
  /** Most answers held (default 64). */
  maxEntries?: number;
  now?: () => number;
}

interface CachedAnswer {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
  storedAt: number;
  usedAt: number;
  /** `origin area` the answer belongs to, for dropping it on a write. */
  area: string;
  /** Hash of the credential it was fetched with. */
  credential: string;
}

/** Where a request goes: its list route (undefined when not a list) and its area. */
function routeOf(url: URL): { list: boolean; area: string } {
  const proxied = ENVIRONMENT_PROXY.exec(url.pathname);
  const agentPath = proxied ? (proxied[2] ?? '/') : url.pathname;
  const area = `${url.origin} ${proxied ? `environment:${proxied[1]}` : HQ_AREA}`;
  return { list: LIST_ROUTES.has(agentPath.replace(/\/+$/, '')), area };
}

function requestParts(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): { method: string; url: URL; authorization: string | null } {
  const request = typeof input === 'string' || input instanceof URL ? undefined : input;
  const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
  const url = new URL(request ? request.url : (input as string | URL));
  const authorization = new Headers(init?.headers ?? request?.headers).get('authorization');
  return { method, url, authorization };
}

/**
 * A short-lived cache of HQ's list answers in front of the fetch the tools use, so that paging
 * through a large list costs HQ one fetch (its first page) rather than one per page, and the
 * pages come from one answer, so offsets stay consistent. Only the next pages of a walk reuse it
 * (`continuesPaging`). An answer goes 5 s after its last use, 30 s after HQ
 * sent it at the latest. Keyed by a hash of the
 * credential (never the credential itself), the full URL and its query: one credential never
 * sees another's answer. Writes (any method but GET and HEAD) always go to HQ, and drop what
 * is held for the same environment (or, for HQ's own routes, for the whole HQ) for every
 * credential. Answers that are not a 200 are never held; a 401 drops everything held for
 * that credential.
 */
export class HqListCache {
  private readonly ttlMs: number;
  private readonly maxAgeMs: number;
  private readonly maxBytes: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** In least-recently-used order. */
  private readonly answers = new Map<string, CachedAnswer>();
  private bytes = 0;

  constructor(options: HqListCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 5_000;
    this.maxAgeMs = options.maxAgeMs ?? 30_000;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.maxEntries = options.maxEntries ?? 64;
    this.now = options.now ?? Date.now;
  }

  /** Bytes of answers held now. */
  get heldBytes(): number {
    return this.bytes;
  }

  /**
   * A fetch in front of `inner` (default the global fetch). With `reuse`, list GETs are answered
   * from the cache when it holds them; without, they go to HQ and refresh what it holds (a new
   * question sees HQ's answer, and a revoked credential HQ's 401).
   */
  fetchThrough(inner: typeof fetch | undefined, options: { reuse: boolean }): typeof fetch {
    return async (input, init) => {
      const send = inner ?? globalThis.fetch;
      const { method, url, authorization } = requestParts(input, init);
      const route = routeOf(url);
      const credential = authorization ? nodeCrypto().createHash('sha256').update(authorization).digest('base64url') : undefined;
      const sendToHq = async () => {
        const response = await send(input, init);
        // HQ no longer accepts the credential (RS-15): nothing fetched with it is answered again.
        if (response.status === 401 && credential) this.dropCredential(credential);
        return response;
      };
      if (method !== 'GET' && method !== 'HEAD') {
        this.dropArea(route.area);
        return sendToHq();
      }
      if (method !== 'GET' || !route.list || !credential) return sendToHq();
      const key = `${credential} ${url.href}`;
      const held = options.reuse ? this.fresh(key) : undefined;
      if (held) return replay(held);
      const response = await sendToHq();
      if (response.status !== 200) return response;
      const read = await readUpTo(response, this.maxBytes / 2);
      if (read instanceof Response) return read;
      const body = read;
      const answer: CachedAnswer = {
        status: response.status,
        statusText: response.statusText,
        headers: headerPairs(response.headers),
        body,
        storedAt: this.now(),
        usedAt: this.now(),
        area: route.area,
        credential,
      };
      this.store(key, answer);
      return replay(answer);
    };
  }

  private fresh(key: string): CachedAnswer | undefined {
    const held = this.answers.get(key);
    if (!held) return undefined;
    this.remove(key);
    const now = this.now();
    if (now - held.usedAt >= this.ttlMs || now - held.storedAt >= this.maxAgeMs) return undefined;
    held.usedAt = now;
    this.answers.set(key, held);
    this.bytes += held.body.byteLength;
    return held;
  }

  private store(key: string, answer: CachedAnswer): void {
    this.remove(key);
    // One answer larger than half the budget would push out everything else: not held.
    if (answer.body.byteLength > this.maxBytes / 2) return;
    this.answers.set(key, answer);
    this.bytes += answer.body.byteLength;
    for (const [oldest] of this.answers) {
      if (this.bytes <= this.maxBytes && this.answers.size <= this.maxEntries) break;
      this.remove(oldest);
    }
  }

  private remove(key: string): void {
    const held = this.answers.get(key);
    if (!held) return;
    this.answers.delete(key);
    this.bytes -= held.body.byteLength;
  }

  private dropCredential(credential: string): void {
    for (const [key, held] of [...this.answers]) if (held.credential === credential) this.remove(key);
  }

  /** A write to `area`: its answers go, and HQ's own lists (datasets mirror topics); a write to HQ's own routes drops everything of that HQ. */
  private dropArea(area: string): void {
    const origin = area.slice(0, area.indexOf(' '));
    const hqWide = area.endsWith(` ${HQ_AREA}`);
    for (const [key, held] of [...this.answers]) {
      if (held.area === area || held.area === `${origin} ${HQ_AREA}` || (hqWide && held.area.startsWith(`${origin} `))) this.remove(key);
    }
  }
}

/**
 * The body of `response` when it is at most `limit` bytes; otherwise a Response that gives the
 * caller the same answer (what was read, then the rest), held by nobody: the caller's own
 * size limit still applies to it.
 */
async function readUpTo(response: Response, limit: number): Promise<Uint8Array | Response> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limit || !response.body) return response;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
    if (length > limit) {
      const rest = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
        },
        async pull(controller) {
          const next = await reader.read();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      return new Response(rest, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
  }
  const body = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * Whether a tool call continues a walk through a list (an `offset` past the first item): only
 * those reuse HQ's held answer; the first page of a walk, a filter or any other call asks HQ.
 */
export function continuesPaging(args: Record<string, unknown> | undefined): boolean {
  return typeof args?.offset === 'number' && args.offset > 0;
}

function headerPairs(headers: Headers): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  headers.forEach((value, name) => pairs.push([name, value]));
  return pairs;
}

function replay(answer: CachedAnswer): Response {
  return new Response(answer.body.slice(), { status: answer.status, statusText: answer.statusText, headers: answer.headers });
}
