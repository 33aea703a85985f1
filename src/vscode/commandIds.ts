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
  setClientSecret: 'lenses.setClientSecret',
} as const;

/** Context keys used in `when` clauses. */
export const CONTEXT = {
  signedIn: 'lenses.signedIn',
  noApplications: 'lenses.noApplications',
} as const;

export const VIEW_CONTAINER_ID = 'lenses';
export const CONNECTED_APPS_VIEW_ID = 'lenses.connectedApplications';
