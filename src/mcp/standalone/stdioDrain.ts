import { PassThrough, type Readable } from 'node:stream';
import type { JSONRPCMessage, MessageExtraInfo, Transport, TransportSendOptions } from '@modelcontextprotocol/server';

/** How often the drain looks whether every request read has been answered. */
const POLL_MS = 25;

type RequestId = string | number;

/**
 * End of input on stdio as a drain, not a cut. The SDK's stdio transport closes itself the
 * moment stdin ends and drops what is still running; scripts and some clients close stdin
 * right after their last request. So the transport reads `input` (stdin, whose end is held
 * back) through `track`, which counts the requests read and not yet answered; `drain` waits
 * for those answers (at most the grace period), then ends `input`, and the transport closes.
 */
export class StdioDrain {
  /** What the transport reads: everything stdin sends, ended only by `drain`. */
  readonly input = new PassThrough();
  private readonly unanswered = new Set<RequestId>();

  constructor(stdin: Readable) {
    stdin.pipe(this.input, { end: false });
  }

  /** The transport, counting the requests it reads until their answers are sent. */
  track(transport: Transport): Transport {
    return new CountingTransport(transport, this.unanswered);
  }

  /** Waits until every request read is answered or `graceMs` passed, then ends the input; returns how many were left unanswered. */
  async drain(graceMs: number): Promise<number> {
    const deadline = Date.now() + graceMs;
    while (this.unanswered.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const left = this.unanswered.size;
    this.input.end();
    return left;
  }
}

/** A request (a method and an id) read from the client. */
function requestId(message: JSONRPCMessage): RequestId | undefined {
  return 'method' in message && 'id' in message ? message.id : undefined;
}

/** A response (an id, no method) sent to the client. */
function responseId(message: JSONRPCMessage): RequestId | undefined {
  return !('method' in message) && 'id' in message && message.id !== null && message.id !== undefined ? message.id : undefined;
}

class CountingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  constructor(
    private readonly inner: Transport,
    private readonly unanswered: Set<RequestId>,
  ) {}

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  async start(): Promise<void> {
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (error) => this.onerror?.(error);
    this.inner.onmessage = (message, extra) => {
      const id = requestId(message);
      if (id !== undefined) this.unanswered.add(id);
      this.onmessage?.(message, extra);
    };
    await this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    try {
      await this.inner.send(message, options);
    } finally {
      // Written or not (stdout gone), it is no longer waited for.
      const id = responseId(message);
      if (id !== undefined) this.unanswered.delete(id);
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
