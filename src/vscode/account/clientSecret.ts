import type { Logger } from '../../log';
import { COMMAND } from '../commandIds';

/** The SecretStorage key of `lenses.oauth.clientSecret` (never a plain setting). */
export const CLIENT_SECRET_KEY = 'lenses.oauth.clientSecret';

/** The parts of SecretStorage this needs (`context.secrets` fits). */
export interface ClientSecretStorage {
  get(key: string): Thenable<string | undefined>;
  store(key: string, value: string): Thenable<void>;
  delete(key: string): Thenable<void>;
  onDidChange(listener: (event: { key: string }) => unknown): { dispose(): unknown };
}

/** What the command asks of the window. */
export interface ClientSecretUi {
  /** A password input box; undefined when dismissed. */
  askForSecret(hasOne: boolean): Promise<string | undefined>;
  showInfo(text: string): void;
}

/**
 * `lenses.oauth.clientSecret`: the secret of a pre-registered confidential client
 * (lenses.oauth.clientId), kept in SecretStorage only and set by the command
 * "Lenses: Set OAuth Client Secret…" — never in settings, logs or errors. The current value
 * is cached so the OAuth client can be built synchronously; other windows' changes arrive
 * through the storage's change event.
 */
export class ClientSecret {
  private value: string | undefined;
  private readonly subscription: { dispose(): unknown };
  /** Resolves once the stored value was read. */
  readonly ready: Promise<void>;

  constructor(
    private readonly storage: ClientSecretStorage,
    private readonly logger: Logger,
    private readonly changed: () => void = () => undefined,
  ) {
    this.ready = this.reload();
    this.subscription = storage.onDidChange((event) => {
      if (event.key === CLIENT_SECRET_KEY) void this.reload().then(() => this.changed());
    });
  }

  /** The stored secret, or undefined. */
  current(): string | undefined {
    return this.value;
  }

  /** The command: asks for the secret (empty = remove it) and stores it in SecretStorage. */
  async set(ui: ClientSecretUi): Promise<void> {
    await this.ready;
    const entered = await ui.askForSecret(this.value !== undefined);
    if (entered === undefined) return;
    const secret = entered.trim();
    if (secret) {
      await this.storage.store(CLIENT_SECRET_KEY, secret);
      this.value = secret;
      this.logger.info('OAuth client secret stored in SecretStorage');
      ui.showInfo("The OAuth client secret is stored in VS Code's secret storage. It is used with lenses.oauth.clientId on the next sign-in.");
    } else {
      await this.storage.delete(CLIENT_SECRET_KEY);
      this.value = undefined;
      this.logger.info('OAuth client secret removed from SecretStorage');
      ui.showInfo('The OAuth client secret was removed: lenses.oauth.clientId is used as a public client.');
    }
    this.changed();
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private async reload(): Promise<void> {
    try {
      const stored = await this.storage.get(CLIENT_SECRET_KEY);
      this.value = stored || undefined;
    } catch {
      this.logger.warn('Could not read the OAuth client secret from SecretStorage');
      this.value = undefined;
    }
  }
}

/** The command id (package.json `contributes.commands`). */
export const SET_CLIENT_SECRET_COMMAND = COMMAND.setClientSecret;
