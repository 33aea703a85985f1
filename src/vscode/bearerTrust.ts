import * as vscode from 'vscode';
import { lensesBearerOrigins, type BearerOrigins } from '../http';
import type { Logger } from '../log';
import { COMMAND } from './commandIds';
import { RemoteMcpConfirmations, type ConfirmationUi } from './mcp/remoteMcpConfirmations';
import { SETTING } from './settings';

/** `lenses.url` and `lenses.mcp.url` from the user's settings only: what a workspace sets does not count (CL-16). */
export function userLevelSettings(configuration: Pick<vscode.WorkspaceConfiguration, 'inspect'>): { hqUrl: string; mcpUrl: string } {
  const user = (section: string) => (configuration.inspect<string>(section)?.globalValue ?? '').trim().replace(/\/+$/, '');
  return { hqUrl: user(SETTING.url), mcpUrl: user(SETTING.mcpUrl) };
}

const modalConfirmation: ConfirmationUi = {
  async confirmSendSignIn({ message, detail, confirm }) {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, confirm)) === confirm;
  },
};

/**
 * Where a Lenses bearer may go, for the editor: the rule (user-level HQ + confirmed remote
 * MCP origins), the confirmations in global state, and the command that forgets them.
 */
export class BearerTrust implements vscode.Disposable {
  readonly confirmations: RemoteMcpConfirmations;
  readonly bearerOrigins: BearerOrigins;
  private readonly command: vscode.Disposable;

  constructor(globalState: vscode.Memento, logger: Logger, onForgotten: () => void) {
    this.confirmations = new RemoteMcpConfirmations(globalState, modalConfirmation, logger);
    this.bearerOrigins = lensesBearerOrigins({
      userHqUrl: () => this.userSettings().hqUrl,
      confirmedMcpOrigins: () => this.confirmations.origins(),
    });
    this.command = vscode.commands.registerCommand(COMMAND.forgetRemoteMcpConfirmations, async () => {
      const count = await this.confirmations.forgetAll();
      onForgotten();
      void vscode.window.showInformationMessage(
        count === 0
          ? 'No remote MCP server was allowed to receive your Lenses sign-in.'
          : `Forgot ${count} remote MCP server confirmation${count === 1 ? '' : 's'}: Lenses will ask again before sending your sign-in.`,
      );
    });
  }

  userSettings(): { hqUrl: string; mcpUrl: string } {
    return userLevelSettings(vscode.workspace.getConfiguration());
  }

  dispose(): void {
    this.command.dispose();
  }
}
