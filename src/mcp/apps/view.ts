import { viewPage } from './viewRuntime';

/** The MIME type of an MCP Apps view (the `io.modelcontextprotocol/ui` extension). */
export const VIEW_MIME_TYPE = 'text/html;profile=mcp-app';

/** One interactive view: a `ui://` page, and the tools whose results it draws. */
export interface LensesView {
  uri: string;
  name: string;
  title: string;
  description: string;
  /** Read tools whose answers this view renders (and may run again to refresh). */
  tools: readonly string[];
  html: string;
}

/** A view from its drawing script; the script may call only `tools` through the host. */
export function defineView(spec: Omit<LensesView, 'html'> & { script: string }): LensesView {
  const { script, ...view } = spec;
  return { ...view, html: viewPage(spec.title, `view.readTools = ${JSON.stringify(spec.tools)};\n${script}`) };
}
