import type { AccountStatus } from './accountStatus';
import type { ConnectedApplications } from '../connectedApps/connectedAppsModel';

/** What shows the account: the Connected Applications list and the status bar, refreshed together. */
export class AccountViews {
  constructor(
    private readonly apps: Pick<ConnectedApplications, 'refresh'>,
    private readonly status: Pick<AccountStatus, 'update'>,
  ) {}

  refresh(): void {
    this.apps.refresh();
    void this.status.update();
  }
}
