import { startLoopbackListener, type LoopbackCallback } from './loopback';
import type { RedirectStrategy } from './types';

/** Where one sign-in's authorization response arrives, whatever the redirect strategy. */
export interface CallbackChannel {
  redirectUri: string;
  /** The callback carrying `expectedState`; others are ignored and counted (CL-18). */
  waitForCallback(signal: AbortSignal, expectedState: string): Promise<LoopbackCallback>;
  close(): Promise<void>;
}

/**
 * A one-shot loopback listener, or the caller's vscode:// UriHandler (no page to answer).
 * `onIgnored` hears of each callback dropped for a wrong or missing `state`.
 */
export async function openCallbackChannel(strategy: RedirectStrategy, onIgnored: () => void): Promise<CallbackChannel> {
  if (strategy.kind === 'loopback') return startLoopbackListener(onIgnored);
  return {
    redirectUri: strategy.redirectUri,
    waitForCallback: async (signal, expectedState) => {
      // The handler filters by state already; checked again here, as the strategy is the caller's.
      for (;;) {
        const url = await strategy.waitForCallback(signal, expectedState);
        if (url.searchParams.get('state') === expectedState) return { url, respond: () => {} };
        onIgnored();
      }
    },
    close: async () => {},
  };
}
