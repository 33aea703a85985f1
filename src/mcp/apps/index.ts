import type { Server, Tool } from '@modelcontextprotocol/server';
import { ResourceHost } from './resourceHost';
import { lensesSkills } from './skills';
import { VIEW_MIME_TYPE, type LensesView } from './view';
import { LENSES_VIEWS } from './views';

export { VIEW_MIME_TYPE, type LensesView } from './view';
export { LENSES_VIEWS } from './views';

const viewOfTool = new Map<string, LensesView>(LENSES_VIEWS.flatMap((view) => view.tools.map((tool) => [tool, view] as const)));

/**
 * The `_meta` of a tool whose answer a view draws (`ui.resourceUri`), else nothing. The flat
 * `ui/resourceUri` key is the older spelling some hosts still read; the ext-apps SDK sets both.
 */
export function toolUiMeta(toolName: string): Pick<Tool, '_meta'> {
  const view = viewOfTool.get(toolName);
  return view ? { _meta: { ui: { resourceUri: view.uri }, 'ui/resourceUri': view.uri } } : {};
}

/**
 * Serves the views as `ui://` resources and the Kafka skills through the SDK's skills
 * extension (when the package has its skills folder). Call before the server connects.
 */
export function attachAppsAndSkills(server: Server, skills = lensesSkills()): void {
  const resources = new ResourceHost(server);
  for (const view of LENSES_VIEWS) {
    resources.add({
      uri: view.uri,
      name: view.name,
      title: view.title,
      description: view.description,
      mimeType: VIEW_MIME_TYPE,
      // The views load nothing from the network: no CSP domains to ask the host for.
      _meta: { ui: { prefersBorder: true } },
      read: () => ({ contents: [{ uri: view.uri, mimeType: VIEW_MIME_TYPE, text: view.html, _meta: { ui: { prefersBorder: true } } }] }),
    });
  }
  skills?.attach(resources.asMcpServer());
}
