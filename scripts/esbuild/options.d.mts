import type { BuildOptions } from 'esbuild';

/** The esbuild options every bundle shares (see options.mjs). */
export declare const commonOptions: BuildOptions;
