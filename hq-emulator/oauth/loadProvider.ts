import type ProviderClass from 'oidc-provider';
import type * as OidcProviderModule from 'oidc-provider';

/** oidc-provider's module, loaded once. */
export type OidcProviderExports = typeof OidcProviderModule;

let loading: Promise<OidcProviderExports> | undefined;

/**
 * Imports oidc-provider (ESM only) once. It warns "Unsupported runtime" on Node 20
 * at import although every flow works; that one known line is kept out of the
 * output so test runs stay readable. Everything else it prints passes through.
 */
export function loadOidcProvider(): Promise<OidcProviderExports> {
  loading ??= (async () => {
    const original = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('Unsupported runtime')) return;
      original(...args);
    };
    try {
      return await import('oidc-provider');
    } finally {
      console.warn = original;
    }
  })();
  return loading;
}

export type Provider = ProviderClass;
