import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import { createMcpHandler, isLegacyRequest, type McpHandlerRequestOptions } from '@modelcontextprotocol/server';
import type { McpTelemetry } from '../telemetry/telemetry';
import type { McpSessionContext } from './mcpSessionContext';

/**
 * 2026-07-28 requests on /mcp (a `_meta` envelope, no initialize, no session): one server per
 * request. 2025 requests never reach it (`legacy: 'reject'`); they keep their session handling.
 */
export class ModernMcpRequests {
  private readonly handler: ReturnType<typeof createMcpHandler>;
  private readonly serve: ReturnType<typeof toNodeHandler>;

  /** With `telemetry`, each request is served inside its span (the SDK's per-request transport is left as it is: the server reads the era from it). */
  constructor(context: McpSessionContext, telemetry?: McpTelemetry) {
    const { logger } = context;
    // The request's access (req.auth) reaches the factory, so server/discover can describe it.
    const handler = createMcpHandler(({ authInfo }) => context.newServer(authInfo), {
      legacy: 'reject',
      onerror: (error) => logger.debug(`MCP 2026-07-28 request: ${error.message}`),
    });
    this.handler = handler;
    const served = telemetry
      ? {
          fetch: (request: Request, options?: McpHandlerRequestOptions) => telemetry.traceExchange(options?.parsedBody, () => handler.fetch(request, options)),
        }
      : handler;
    this.serve = toNodeHandler(served, { onerror: (error) => logger.error(`MCP 2026-07-28 request failed: ${error.message}`) });
  }

  /** A POST whose body is a 2026-07-28 request (the SDK's own test, so both eras agree on it). */
  async claims(request: IncomingMessage, body: unknown): Promise<boolean> {
    return request.method === 'POST' && !(await isLegacyRequest(await toWebRequest(request, body), body));
  }

  handle(request: IncomingMessage, response: ServerResponse, body: unknown): Promise<void> {
    return this.serve(request, response, body);
  }

  /** Clients listening through `subscriptions/listen` hear that the tools changed. */
  notifyToolsChanged(): void {
    this.handler.notify.toolsChanged();
  }

  close(): Promise<void> {
    return this.handler.close();
  }
}
