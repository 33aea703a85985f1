import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../src/log';
import { isScope } from '../../src/scopes';
import { readForm, sendHtml } from './http';
import type { Provider } from './loadProvider';
import { consentPage, errorPage, loginPage } from './pages';
import { checkPassword } from './users';

/** Where oidc-provider sends the browser for login and consent. */
export const INTERACTION_PATH = '/oauth2/interaction/';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * The login and consent pages (no JavaScript): GET shows the page the interaction
 * needs, POST …/login checks the password, POST …/consent grants the ticked scopes
 * (and rejects the others, so oidc-provider does not prompt again) or denies.
 * Returns false when the path is not an interaction path.
 */
export async function handleInteraction(provider: Provider, logger: Logger, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  const path = new URL(request.url ?? '/', 'http://x').pathname;
  if (!path.startsWith(INTERACTION_PATH)) return false;
  const [uid, step] = path.slice(INTERACTION_PATH.length).split('/');
  let interaction: Interaction;
  try {
    interaction = await provider.interactionDetails(request, response);
  } catch {
    sendHtml(response, 400, loginExpiredPage());
    return true;
  }
  if (interaction.uid !== uid) {
    sendHtml(response, 400, loginExpiredPage());
    return true;
  }
  const action = `${INTERACTION_PATH}${uid}`;
  const clientName = await clientNameOf(provider, interaction);

  if (request.method === 'GET' && step === undefined) {
    if (interaction.prompt.name === 'login') {
      sendHtml(response, 200, loginPage(`${action}/login`, { clientName }));
    } else {
      sendHtml(response, 200, consentPage(`${action}/consent`, consentView(interaction, clientName)));
    }
    return true;
  }

  if (request.method === 'POST' && step === 'login' && interaction.prompt.name === 'login') {
    const form = await readForm(request);
    const username = form.get('username') ?? '';
    if (!checkPassword(username, form.get('password') ?? '')) {
      logger.info(`HQ: failed sign-in for "${username}"`);
      sendHtml(response, 200, loginPage(`${action}/login`, { clientName, username, error: 'Wrong username or password.' }));
      return true;
    }
    logger.info(`HQ: ${username} signed in`);
    await provider.interactionFinished(request, response, { login: { accountId: username } }, { mergeWithLastSubmission: false });
    return true;
  }

  if (request.method === 'POST' && step === 'consent' && interaction.prompt.name === 'consent') {
    const form = await readForm(request);
    if (form.get('decision') === 'deny') {
      logger.info(`HQ: ${interaction.session?.accountId ?? 'user'} denied ${clientName}`);
      await provider.interactionFinished(
        request,
        response,
        { error: 'access_denied', error_description: 'The user denied the request.' },
        { mergeWithLastSubmission: false },
      );
      return true;
    }
    const view = consentView(interaction, clientName);
    const ticked = new Set(form.getAll('scope').filter(isScope));
    const granted = view.scopes.filter((scope) => ticked.has(scope));
    if (view.scopes.length > 0 && granted.length === 0) {
      sendHtml(response, 200, consentPage(`${action}/consent`, { ...view, error: 'Tick at least one scope, or press Deny.' }));
      return true;
    }
    const grantId = await saveGrant(provider, interaction, granted);
    logger.info(`HQ: ${view.username} allowed ${clientName} [${granted.join(' ')}]`);
    await provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return true;
  }

  sendHtml(response, 400, loginExpiredPage());
  return true;
}

function consentView(interaction: Interaction, clientName: string) {
  const params = interaction.params;
  const requested = typeof params.scope === 'string' ? params.scope.split(' ').filter(isScope) : [];
  return {
    clientName,
    clientId: String(params.client_id),
    username: interaction.session?.accountId ?? '',
    scopes: [...new Set(requested)],
    resource: interaction.params.resource === undefined ? undefined : resourcesOf(interaction, '').join(' '),
  };
}

/** The resource indicators of the request: as asked, else HQ's default (its own URL). */
function resourcesOf(interaction: Interaction, issuer: string): string[] {
  const resource = interaction.params.resource;
  if (typeof resource === 'string') return [resource];
  if (Array.isArray(resource)) return resource.map(String);
  return [issuer];
}

/**
 * Saves the user's decision as the grant: exactly the ticked scopes for each resource of
 * this request. A grant reused from an earlier sign-in (same browser session) is reset
 * for those resources first, so unticking a scope there really narrows the new tokens.
 */
async function saveGrant(provider: Provider, interaction: Interaction, granted: string[]): Promise<string> {
  const accountId = interaction.session?.accountId;
  const clientId = String(interaction.params.client_id);
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const requested = typeof interaction.params.scope === 'string' ? interaction.params.scope.split(' ') : [];
  const lenses = requested.filter(isScope);
  const allowed = lenses.filter((scope) => granted.includes(scope));
  const refused = lenses.filter((scope) => !granted.includes(scope));

  // read/write/delete are also OP scopes (see authorizationServer.ts): decide them there
  // too, or oidc-provider would ask for consent again.
  const otherOIDCScopes = requested.filter((scope) => !isScope(scope) && scope !== '');
  if (otherOIDCScopes.length || allowed.length) grant.addOIDCScope([...otherOIDCScopes, ...allowed]);
  if (refused.length) grant.rejectOIDCScope(refused);

  for (const indicator of resourcesOf(interaction, provider.issuer)) {
    if (grant.resources) delete grant.resources[indicator];
    if (allowed.length) grant.addResourceScope(indicator, allowed);
    if (refused.length) grant.rejectResourceScope(indicator, refused);
  }
  return grant.save();
}

async function clientNameOf(provider: Provider, interaction: Interaction): Promise<string> {
  const clientId = String(interaction.params.client_id);
  const client = await provider.Client.find(clientId);
  return client?.clientName ?? clientId;
}

function loginExpiredPage(): string {
  return errorPage({
    error: 'interaction_expired',
    error_description: 'This sign-in page has expired or was already used. Start the sign-in again from the application.',
  });
}
