import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import { createMcpHandler, isLegacyRequest, type McpHandlerRequestOptions } from '@modelcontextprotocol/server';
import type { McpTelemetry } from '../../telemetry/telemetry';
import type { ListenLease } from './listenStreams';
import type { McpSessionContext } from './mcpSessionContext';

/**
 * 2026-07-28 requests on /mcp (a `_meta` envelope, no initialize, no session): one server per
 * request. 2025 requests never reach it (`legacy: 'reject'`); they keep their session handling.
 */
export class ModernMcpRequests {
  private readonly handler: ReturnType<typeof createMcpHandler>;
  private readonly serve: ReturnType<typeof toNodeHandler>;
  private readonly served: Pick<ReturnType<typeof createMcpHandler>, 'fetch'>;
  private readonly onerror: (error: Error) => void;

  /**
   * With `telemetry`, each request is served inside its span (the SDK's per-request transport is left as it is: the server reads the era from it).
   * `maxSubscriptions`: the SDK's own cap of `subscriptions/listen` streams, kept at the server's (ListenStreams counts them first).
   */
  constructor(context: McpSessionContext, telemetry?: McpTelemetry, maxSubscriptions?: number) {
    const { logger } = context;
    // The request's access (req.auth) reaches the factory, so server/discover can describe it.
    const handler = createMcpHandler(({ authInfo }) => context.newServer(authInfo), {
      legacy: 'reject',
      onerror: (error) => logger.debug(`MCP 2026-07-28 request: ${error.message}`),
      ...(maxSubscriptions !== undefined ? { maxSubscriptions } : {}),
    });
    this.handler = handler;
    const served = telemetry
      ? {
          fetch: (request: Request, options?: McpHandlerRequestOptions) => telemetry.traceExchange(options?.parsedBody, () => handler.fetch(request, options)),
        }
      : handler;
    this.served = served;
    this.onerror = (error) => logger.error(`MCP 2026-07-28 request failed: ${error.message}`);
    this.serve = toNodeHandler(served, { onerror: this.onerror });
  }

  /** A POST whose body is a 2026-07-28 request (the SDK's own test, so both eras agree on it). */
  async claims(request: IncomingMessage, body: unknown): Promise<boolean> {
    return request.method === 'POST' && !(await isLegacyRequest(await toWebRequest(request, body), body));
  }

  /** Serves one request; a `subscriptions/listen` stream is watched by its `lease` (caps, credential rechecks). */
  handle(request: IncomingMessage, response: ServerResponse, body: unknown, lease?: ListenLease): Promise<void> {
    if (!lease) return this.serve(request, response, body);
    const watched = { fetch: (webRequest: Request, options?: McpHandlerRequestOptions) => lease.watch(() => this.served.fetch(webRequest, options)) };
    return toNodeHandler(watched, { onerror: this.onerror })(request, response, body);
  }

  /** Clients listening through `subscriptions/listen` hear that the tools changed. */
  notifyToolsChanged(): void {
    this.handler.notify.toolsChanged();
  }

  close(): Promise<void> {
    return this.handler.close();
  }
}
