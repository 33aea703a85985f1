// A minimal MCP Apps host for tests, run in the browser page: the ext-apps SDK's AppBridge
// loads a view in a sandboxed iframe, sends it the tool input and result, and forwards the
// view's tools/call requests to the page's `hostCallTool` (which the test answers).
import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { CallToolResult } from '@modelcontextprotocol/client';

interface HostWindow {
  hostCallTool(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  loadView(html: string, toolArguments: Record<string, unknown>, result: CallToolResult): Promise<void>;
  viewHeight?: number;
}
const host = window as unknown as Window & HostWindow;

/** The host's theme, as MCP Apps CSS variables. */
const HOST_STYLES = {
  '--color-background-primary': '#ffffff',
  '--color-background-secondary': '#f3f4f6',
  '--color-text-primary': '#111827',
  '--color-text-secondary': '#6b7280',
  '--color-text-danger': '#dc2626',
  '--color-text-info': '#2563eb',
  '--font-sans': 'DejaVu Sans, sans-serif',
};

host.loadView = async (html, toolArguments, result) => {
  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.setAttribute('title', 'view');
  iframe.style.cssText = 'width: 960px; height: 560px; border: 1px solid #d1d5db;';
  iframe.srcdoc = html;
  document.body.replaceChildren(iframe);
  const bridge = new AppBridge(
    null,
    { name: 'test host', version: '1' },
    { serverTools: {} },
    { hostContext: { theme: 'light', styles: { variables: HOST_STYLES as never }, displayMode: 'inline' } },
  );
  bridge.oncalltool = (params) => host.hostCallTool(params.name, params.arguments ?? {});
  bridge.onsizechange = ({ height }) => {
    if (height) iframe.style.height = `${Math.min(height + 2, 1400)}px`;
    host.viewHeight = height;
  };
  const initialized = new Promise<void>((resolve) => (bridge.oninitialized = () => resolve()));
  await bridge.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
  await initialized;
  await bridge.sendToolInput({ arguments: toolArguments });
  await bridge.sendToolResult(result);
};
