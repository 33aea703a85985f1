import type * as vscode from 'vscode';

/**
 * A minimal event emitter with VS Code's `Event<T>` shape, so plain-Node modules (and their
 * tests) can offer `onDidChange…` events without the `vscode` runtime.
 */
export class Emitter<T> {
  private readonly listeners = new Set<(event: T) => unknown>();

  readonly event: vscode.Event<T> = (listener, thisArgs?, disposables?) => {
    const bound = (event: T): void => {
      listener.call(thisArgs, event);
    };
    this.listeners.add(bound);
    const subscription = { dispose: () => void this.listeners.delete(bound) };
    disposables?.push(subscription);
    return subscription;
  };

  fire(event: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A failing listener must not stop the others (as VS Code's own emitter).
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}

/** Something that can be disposed; VS Code's `Disposable` fits. */
export interface DisposableLike {
  dispose(): unknown;
}

/** Disposes every item, last first, even when one throws. */
export function disposeAll(items: DisposableLike[]): void {
  while (items.length > 0) {
    try {
      items.pop()?.dispose();
    } catch {
      // keep disposing the rest
    }
  }
}
