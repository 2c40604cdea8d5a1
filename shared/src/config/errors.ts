/**
 * Thrown by `loadConfig` when the environment is invalid. `problems` holds one line per bad
 * variable, each naming the variable; a process prints them all and exits non-zero.
 */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((line) => `  ${line}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
