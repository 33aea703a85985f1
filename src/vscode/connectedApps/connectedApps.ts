import type { Authorization } from '../../lenses/connectedApps';

/** What a tree item shows for one application; rendered to a `vscode.TreeItem` by the view. */
export interface ApplicationNode {
  kind: 'application';
  authorizationId: string;
  label: string;
  /** Scopes joined by ", "; on our own grant "this VS Code · " comes first, so a narrow sidebar still shows it. */
  description: string;
  /** Markdown. */
  tooltip: string;
  /** ThemeIcon id. */
  icon: string;
  contextValue: 'lensesApplication' | 'lensesApplication.self';
  clientId?: string;
  scopes: string[];
  isSelf: boolean;
}

export type ConnectedAppsNode = ApplicationNode;

export const UNNAMED_APPLICATION = 'Unnamed application';

const REGISTRATION_LABELS: Record<string, string> = {
  dcr: 'Dynamic Client Registration',
  api: 'Pre-registered',
};

/** Builds the node of one authorization; `selfClientId` is the client id of this VS Code's session. */
export function applicationNode(authorization: Authorization, selfClientId: string | undefined): ApplicationNode {
  const isSelf = selfClientId !== undefined && authorization.clientId === selfClientId;
  const label = authorization.name ?? authorization.clientId ?? UNNAMED_APPLICATION;
  const scopes = authorization.scopes;
  const scopeText = scopes.length > 0 ? scopes.join(', ') : 'no scopes listed';
  const registration = registrationLabel(authorization.provenance);
  const tooltip = [
    `**${escapeMarkdown(label)}**${isSelf ? ' (this VS Code)' : ''}`,
    '',
    `Client ID: \`${escapeCode(authorization.clientId ?? 'unknown')}\``,
    '',
    `Scopes: ${escapeMarkdown(scopeText)}`,
    '',
    `Registration: ${registration}`,
    '',
    `Issued at: ${escapeMarkdown(issuedAt(authorization.issuedAt))}`,
  ].join('\n');
  return {
    kind: 'application',
    authorizationId: authorization.id,
    label,
    description: isSelf ? `this VS Code · ${scopeText}` : scopeText,
    tooltip,
    icon: isSelf ? 'vm-active' : authorization.provenance === 'api' ? 'verified' : 'plug',
    contextValue: isSelf ? 'lensesApplication.self' : 'lensesApplication',
    clientId: authorization.clientId,
    scopes,
    isSelf,
  };
}

/** All nodes, our own grant first, then by name. */
export function applicationNodes(authorizations: readonly Authorization[], selfClientId: string | undefined): ApplicationNode[] {
  return authorizations
    .map((authorization) => applicationNode(authorization, selfClientId))
    .sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.label.localeCompare(b.label));
}

/** The modal confirmation of a revoke: the app and what it loses. */
export function revokeConfirmation(node: ApplicationNode): { message: string; detail: string } {
  const scopes = node.scopes.length > 0 ? node.scopes.join(', ') : 'all its';
  const self = node.isSelf ? ' This is VS Code itself: it will be signed out of Lenses.' : '';
  return {
    message: `Revoke access for "${node.label}"?`,
    detail: `"${node.label}" will lose its ${scopes} access to your Lenses account and must ask again to use it.${self}`,
  };
}

function registrationLabel(method: string | undefined): string {
  if (method === undefined) return 'unknown';
  return REGISTRATION_LABELS[method] ?? method;
}

function issuedAt(value: string | undefined): string {
  if (value === undefined) return 'unknown';
  const numeric = /^\d+$/.test(value) ? Number(value) : NaN;
  // Seconds or milliseconds since the epoch, or an ISO date.
  const date = Number.isFinite(numeric) ? new Date(numeric < 1e12 ? numeric * 1000 : numeric) : new Date(value);
  return Number.isNaN(date.getTime())
    ? value
    : date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
}

/** Escapes what could turn a name into a link, emphasis or HTML (values never start a line). */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()|<>]/g, '\\$&');
}

function escapeCode(text: string): string {
  return text.replace(/`/g, "'");
}
