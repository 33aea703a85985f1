import { originOf } from '../../http';
import type { Logger } from '../../log';

/** The global-state key of the remote MCP origins the user allowed to receive a Lenses sign-in. */
export const CONFIRMED_MCP_ORIGINS_KEY = 'lenses.mcp.confirmedOrigins';

/** The part of `vscode.Memento` (`context.globalState`) used here. */
export interface OriginMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

/** The modal question, asked once per new origin. */
export interface ConfirmationUi {
  /** "Send your Lenses HQ sign-in (hq) to mcp?"; true only for the explicit yes. */
  confirmSendSignIn(question: { message: string; detail: string; confirm: string }): Promise<boolean>;
}

/**
 * Which remote MCP origins may receive a Lenses bearer (CL-16): asked once per origin in a
 * modal, remembered in global state (not in settings a workspace could write), and
 * forgotten on demand ("Lenses: Forget Remote MCP Server Confirmations").
 */
export class RemoteMcpConfirmations {
  constructor(
    private readonly memento: OriginMemento,
    private readonly ui: ConfirmationUi,
    private readonly logger: Logger,
  ) {}

  /** The confirmed origins, as the bearer rule reads them on every check. */
  origins(): readonly string[] {
    const stored = this.memento.get<unknown>(CONFIRMED_MCP_ORIGINS_KEY);
    return Array.isArray(stored) ? stored.filter((origin): origin is string => typeof origin === 'string') : [];
  }

  isConfirmed(mcpUrl: string): boolean {
    const origin = originOf(mcpUrl);
    return origin !== undefined && this.origins().includes(origin);
  }

  /** True when `mcpUrl`'s origin was confirmed before or the user confirms it now (remembered). */
  async confirm(mcpUrl: string, hqUrl: string): Promise<boolean> {
    const origin = originOf(mcpUrl);
    if (origin === undefined) return false;
    if (this.origins().includes(origin)) return true;
    const mcpHost = new URL(origin).host;
    const hqHost = new URL(hqUrl).host;
    const yes = await this.ui.confirmSendSignIn({
      message: `Send your Lenses HQ sign-in (${hqHost}) to ${mcpHost}?`,
      detail: `lenses.mcp.url points at the MCP server ${origin}. It will receive a Lenses token issued by ${hqHost} and can act on Lenses as you, within the scopes you grant. Allow this only for a server you trust. You can take it back with "Lenses: Forget Remote MCP Server Confirmations".`,
      confirm: 'Send Sign-In',
    });
    if (!yes) {
      this.logger.warn(`Not sending the Lenses sign-in to ${origin}: the user did not confirm it`);
      return false;
    }
    await this.memento.update(CONFIRMED_MCP_ORIGINS_KEY, [...this.origins(), origin]);
    this.logger.info(`The user confirmed sending the Lenses sign-in to ${origin}`);
    return true;
  }

  /** Forgets every confirmation; returns how many there were. */
  async forgetAll(): Promise<number> {
    const count = this.origins().length;
    await this.memento.update(CONFIRMED_MCP_ORIGINS_KEY, undefined);
    this.logger.info(`Forgot ${count} remote MCP server confirmation(s)`);
    return count;
  }
}
