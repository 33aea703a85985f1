import { startLoopbackListener, type LoopbackCallback } from './loopback';
import type { RedirectStrategy } from './types';

/** Where one sign-in's authorization response arrives, whatever the redirect strategy. */
export interface CallbackChannel {
  redirectUri: string;
  waitForCallback(signal: AbortSignal): Promise<LoopbackCallback>;
  close(): Promise<void>;
}

/** A one-shot loopback listener, or the caller's vscode:// UriHandler (no page to answer). */
export async function openCallbackChannel(strategy: RedirectStrategy): Promise<CallbackChannel> {
  if (strategy.kind === 'loopback') return startLoopbackListener();
  return {
    redirectUri: strategy.redirectUri,
    waitForCallback: async (signal) => ({ url: await strategy.waitForCallback(signal), respond: () => {} }),
    close: async () => {},
  };
}
