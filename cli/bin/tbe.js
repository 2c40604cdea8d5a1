#!/usr/bin/env node
// `tbe <command>`: the CLI without pnpm's wrapper (one line on stderr on failure, a clean exit on
// Ctrl-C). Node runs the TypeScript sources itself when it strips types (23.6+, as in the image);
// an older Node loads them through tsx (a dev dependency of the repository).
if (!process.features.typescript) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import('../src/main.ts');
