import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log';
import { applyCors, type HostAllowList } from './httpGuards';
import { sendError } from './httpResponses';

/** Refused names logged at most: a misconfigured proxy shows up, a flood does not fill the log. */
const MAX_LOGGED_REFUSALS = 32;

/** The Host/Origin check (RS-12, RS-17) and CORS, in front of every route but the probes. */
export class HostOriginGate {
  private readonly refusedHosts = new Set<string>();

  constructor(
    private readonly hosts: HostAllowList,
    private readonly logger: Logger,
  ) {}

  /** True when the request may go on; false when it is answered here (403, or a CORS preflight). */
  admits(request: IncomingMessage, response: ServerResponse): boolean {
    const refusal = this.hosts.refusal(request);
    if (refusal) {
      // One line per refused name, bounded.
      if (this.refusedHosts.size < MAX_LOGGED_REFUSALS && !this.refusedHosts.has(refusal)) {
        this.refusedHosts.add(refusal);
        this.logger.warn(`Refused a request: ${refusal}`);
      }
      sendError(response, 403, refusal);
      return false;
    }
    return !applyCors(request, response);
  }
}
