import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';

interface StoredEvent {
  streamId: string;
  message: JSONRPCMessage;
}

/**
 * A bounded in-memory event store for one MCP session: SSE events get ids so a client
 * that lost its stream can resume with Last-Event-ID (MCP streamable HTTP resumability).
 * Keeps the newest `capacity` events; older ones cannot be replayed.
 */
export class BoundedEventStore implements EventStore {
  private readonly events = new Map<string, StoredEvent>();
  private counter = 0;

  constructor(private readonly capacity = 100) {}

  storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    this.counter += 1;
    const eventId = `${streamId}_${this.counter}`;
    this.events.set(eventId, { streamId, message });
    if (this.events.size > this.capacity) this.events.delete(this.events.keys().next().value as string);
    return Promise.resolve(eventId);
  }

  getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return Promise.resolve(this.events.get(eventId)?.streamId);
  }

  async replayEventsAfter(lastEventId: string, { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> }): Promise<string> {
    const last = this.events.get(lastEventId);
    if (!last) return '';
    let after = false;
    for (const [eventId, event] of this.events) {
      if (eventId === lastEventId) {
        after = true;
        continue;
      }
      if (after && event.streamId === last.streamId) await send(eventId, event.message);
    }
    return last.streamId;
  }
}
