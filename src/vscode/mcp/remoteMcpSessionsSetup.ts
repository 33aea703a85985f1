import type { Logger } from '../../log';
import { discoverFromResource, probeResource } from '../../oauth';
import type { AuthUi } from '../account/authProvider';
import type { BearerTrust } from '../bearerTrust';
import type { OAuthClientPort, RedirectChoice } from '../account/oauthPort';
import { RemoteMcpSessions } from './remoteMcpSession';
import type { LensesSettings } from '../settings';

export interface RemoteMcpSessionsDependencies {
  oauth: OAuthClientPort;
  settings: () => LensesSettings;
  /** The user-level settings, the confirmed origins and the one bearer rule. */
  trust: Pick<BearerTrust, 'userSettings' | 'confirmations' | 'bearerOrigins'>;
  ui: AuthUi;
  redirect: () => Promise<RedirectChoice | undefined>;
  logger: Logger;
  /** The token for lenses.mcp.url changed: VS Code must get the new definition. */
  tokenChanged: () => void;
}

/**
 * Sessions for a remote Lenses MCP server (lenses.mcp.url): its authorization server found by
 * RFC 9728 discovery, its answer probed with the token, bearers only to origins the trust allows;
 * `lenses.allowInsecureHttp` read on each call.
 */
export function createRemoteMcpSessions(parts: RemoteMcpSessionsDependencies): RemoteMcpSessions {
  const { oauth, settings, trust, ui, redirect, logger, tokenChanged } = parts;
  return new RemoteMcpSessions({
    oauth,
    settings,
    userSettings: () => trust.userSettings(),
    confirmations: trust.confirmations,
    bearerOrigins: trust.bearerOrigins,
    discoverIssuer: async (mcpUrl) =>
      (await discoverFromResource(mcpUrl, { allowInsecureHttp: settings().allowInsecureHttp, logger })).authorizationServer.issuer,
    ui,
    redirect,
    logger,
    probe: (mcpUrl, accessToken) =>
      probeResource(mcpUrl, { bearer: { token: accessToken, origins: trust.bearerOrigins }, allowInsecureHttp: settings().allowInsecureHttp }),
    tokenChanged,
  });
}
