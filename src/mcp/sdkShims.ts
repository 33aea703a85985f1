/**
 * Bundles only (esbuild aliases `@modelcontextprotocol/server/_shims` to this file): the SDK's
 * Node shims carry Ajv, about 150 kB minified, to check elicitation answers against their
 * JSON Schema; its Cloudflare validator (the same drafts, @cfworker/json-schema) is a quarter
 * of that and keeps the bundles within 10% of their size on SDK 1.x.
 */
export { CfWorkerJsonSchemaValidator as DefaultJsonSchemaValidator } from '@modelcontextprotocol/server/validators/cf-worker';
export { default as process } from 'node:process';
