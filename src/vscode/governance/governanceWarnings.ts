import { affectsGovernance, type EditorGovernance } from './governanceSettings';
import type { UserMessage } from '../userMessages';

/** The governance settings re-read on each change of them: one warning per setting with unknown entries, and MCP clients list the tools again. */
export class GovernanceWarnings {
  constructor(
    private readonly governance: Pick<EditorGovernance, 'reload'>,
    private readonly warn: (warning: UserMessage) => void,
    private readonly toolsChanged: () => void,
  ) {}

  /** Reads the settings and warns about their unknown entries (on activation). */
  reload(): void {
    this.governance.reload().forEach((warning) => this.warn(warning));
  }

  configurationChanged(affects: (section: string) => boolean): void {
    if (!affectsGovernance(affects)) return;
    this.reload();
    this.toolsChanged();
  }
}
