import type { SimulatorVariable } from '@tbe/simulators/deployment';

/** A value as the shell reads it back unchanged. */
export function shellQuote(value: string): string {
  return /^[\w.:/@%+,=-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `export NAME=value` lines; a secret the environment supplied is named, not printed. */
export function exportLines(vars: readonly SimulatorVariable[]): string[] {
  return vars.map(({ name, value, fromEnvSecret }) =>
    fromEnvSecret ? `# ${name}: the one set in this environment` : `export ${name}=${shellQuote(value)}`,
  );
}
