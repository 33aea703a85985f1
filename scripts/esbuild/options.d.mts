import type { BuildOptions } from 'esbuild';

/** The esbuild options every bundle shares (see options.mjs). */
export declare const commonOptions: BuildOptions;

/** The extension's options: commonOptions, with the contract and zod in a file of their own (contractChunkPlugin.mjs). */
export declare const extensionOptions: BuildOptions;
