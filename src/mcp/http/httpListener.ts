import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../../log';
import { HttpError } from './httpGuards';
import { sendError } from './httpResponses';

/**
 * The node:http server with the receive timeouts, turning a failed request into its answer:
 * an `HttpError` into its status (413 also closes the connection), anything else into a logged
 * 500; a request whose client went away first is only noted at debug level.
 */
export function createMcpListener(
  requestTimeoutMs: number,
  logger: Logger,
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): Server {
  // requestTimeout covers receiving the request (headers and body), not the response: SSE
  // streams stay open, while a body trickled in too slowly gets 408 (checked every interval).
  return createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(30_000, requestTimeoutMs),
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, requestTimeoutMs / 4)),
    },
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        // The client closed the connection (an abort, a cancelled body): nobody is left to answer,
        // and it is the client's doing, not a server failure.
        if (response.destroyed) {
          logger.debug(
            `MCP HTTP request ${request.method ?? ''} ${new URL(request.url ?? '/', 'http://localhost').pathname} ended by the client before it was answered (${describe(error)})`,
          );
          return;
        }
        if (error instanceof HttpError)
          return sendError(response, error.status, error.message, error.status === 413 ? { Connection: 'close' } : {}, error.jsonRpcCode);
        logger.error(`MCP HTTP request failed: ${describe(error)}`);
        sendError(response, 500, 'Internal server error');
      });
    },
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Listens on host:port; rejects with the listen error (EADDRINUSE, …). */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
