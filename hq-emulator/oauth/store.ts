import type { Adapter, AdapterPayload } from 'oidc-provider';

interface StoredEntry {
  payload: AdapterPayload;
  /** Epoch ms; absent = never expires. */
  expiresAt?: number;
}

/** What `snapshot()` returns and `--data` keeps: every model's live entries. */
export interface StoreSnapshot {
  version: 1;
  models: Record<string, Record<string, StoredEntry>>;
}

/**
 * In-memory storage for every oidc-provider model, with an index of grants per
 * account (the adapter interface finds by id only, and "connected applications"
 * must list a user's grants) and a JSON snapshot for `--data`.
 */
export class OAuthStore {
  private readonly models = new Map<string, Map<string, StoredEntry>>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly onChange: () => void = () => {},
  ) {}

  /** The adapter factory handed to oidc-provider's `adapter` setting. */
  readonly adapterFor = (name: string): Adapter => new ModelAdapter(name, this);

  /** The live entries of one model. */
  entries(model: string): Map<string, StoredEntry> {
    let entries = this.models.get(model);
    if (!entries) {
      entries = new Map();
      this.models.set(model, entries);
    }
    return entries;
  }

  /** A live (unexpired) payload, or undefined; expired ones are dropped on the way. */
  live(model: string, id: string): AdapterPayload | undefined {
    const entries = this.entries(model);
    const entry = entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      entries.delete(id);
      return undefined;
    }
    return entry.payload;
  }

  put(model: string, id: string, payload: AdapterPayload, expiresInSeconds?: number): void {
    const expiresAt = expiresInSeconds ? this.now() + expiresInSeconds * 1000 : undefined;
    this.entries(model).set(id, { payload, expiresAt });
    this.changed(model);
  }

  /** Marks a code or refresh token as used (its reuse then revokes the grant). */
  markConsumed(model: string, id: string): void {
    const payload = this.live(model, id);
    if (payload) {
      payload.consumed = Math.floor(this.now() / 1000);
      this.changed(model);
    }
  }

  remove(model: string, id: string): void {
    if (this.entries(model).delete(id)) this.changed(model);
  }

  /** Ids and payloads of the live grants that belong to one account. */
  grantsOf(accountId: string): Array<{ id: string; payload: AdapterPayload }> {
    const grants: Array<{ id: string; payload: AdapterPayload }> = [];
    for (const id of [...this.entries('Grant').keys()]) {
      const payload = this.live('Grant', id);
      if (payload?.accountId === accountId) grants.push({ id, payload });
    }
    return grants;
  }

  snapshot(): StoreSnapshot {
    const models: StoreSnapshot['models'] = {};
    for (const [model, entries] of this.models) {
      // Interactions and sessions are browser state: not worth keeping across restarts.
      if (model === 'Interaction' || model === 'Session') continue;
      models[model] = Object.fromEntries(entries);
    }
    return { version: 1, models };
  }

  restore(snapshot: StoreSnapshot): void {
    for (const [model, entries] of Object.entries(snapshot.models)) {
      this.models.set(model, new Map(Object.entries(entries)));
    }
  }

  private changed(model: string): void {
    if (model !== 'Interaction' && model !== 'Session') this.onChange();
  }
}

/** True when a parsed JSON value looks like a snapshot this store wrote. */
export function isStoreSnapshot(value: unknown): value is StoreSnapshot {
  return (
    typeof value === 'object' && value !== null && (value as { version?: unknown }).version === 1 && typeof (value as { models?: unknown }).models === 'object'
  );
}

class ModelAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly store: OAuthStore,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.store.put(this.model, id, payload, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.store.live(this.model, id);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    for (const id of [...this.store.entries(this.model).keys()]) {
      const payload = this.store.live(this.model, id);
      if (payload?.uid === uid) return payload;
    }
    return undefined;
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    for (const id of [...this.store.entries(this.model).keys()]) {
      const payload = this.store.live(this.model, id);
      if (payload?.userCode === userCode) return payload;
    }
    return undefined;
  }

  async consume(id: string): Promise<void> {
    this.store.markConsumed(this.model, id);
  }

  async destroy(id: string): Promise<void> {
    this.store.remove(this.model, id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [id, entry] of [...this.store.entries(this.model)]) {
      if (entry.payload.grantId === grantId) this.store.remove(this.model, id);
    }
  }
}
