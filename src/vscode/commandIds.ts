/** Command ids, as declared in package.json `contributes.commands` (tests check they match). */
export const COMMAND = {
  signIn: 'lenses.signIn',
  signOut: 'lenses.signOut',
  showLogs: 'lenses.showLogs',
  copyMcpConfiguration: 'lenses.copyMcpConfiguration',
  refreshApplications: 'lenses.refreshApplications',
  revokeApplication: 'lenses.revokeApplication',
  revokeApplicationFromPalette: 'lenses.revokeApplicationFromPalette',
  copyClientId: 'lenses.copyClientId',
  forgetRemoteMcpConfirmations: 'lenses.forgetRemoteMcpConfirmations',
  changeScopes: 'lenses.changeScopes',
  accountMenu: 'lenses.accountMenu',
  showAvailableTools: 'lenses.showAvailableTools',
  setClientSecret: 'lenses.setClientSecret',
} as const;

/** Context keys used in `when` clauses. */
export const CONTEXT = {
  signedIn: 'lenses.signedIn',
  noApplications: 'lenses.noApplications',
  applicationsError: 'lenses.applicationsError',
} as const;

export const VIEW_CONTAINER_ID = 'lenses';
export const CONNECTED_APPS_VIEW_ID = 'lenses.connectedApplications';

/** VS Code's own command that opens and focuses the view (`<view id>.focus`). */
export const FOCUS_CONNECTED_APPS = `${CONNECTED_APPS_VIEW_ID}.focus`;
