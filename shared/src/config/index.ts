export { loadConfig, type ReadFile } from './load.ts';
export { ConfigError } from './errors.ts';
export { envSchema, SECRET_VARIABLES } from './schema.ts';
export type * from './types.ts';
export { CONCURRENCY_MODES } from './types.ts';
