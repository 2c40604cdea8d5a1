import { describe, expect, test } from 'vitest';
import { cli, lines } from './child.ts';
import { freePortRun } from './ports.ts';

// The exit codes as a shell sees them (the wording of each case is pinned by cli/src/cli.test.ts).
describe('cli exit codes', () => {
  test('when usage is bad, then 2; when help is asked, then 0; when configuration or the dashboard fails, then 1 with one line', async () => {
    const token = 'cli-test-admin-token-0123456789';
    const down = `http://127.0.0.1:${await freePortRun(1)}`;
    const [unknown, badSetting, help, noToken, unreachable] = await Promise.all([
      cli(['frobnicate']),
      cli(['set', 'cherwell', 'maxretries', '3'], { ADMIN_TOKEN: token }),
      cli(['help']),
      cli(['status']),
      cli(['status'], { ADMIN_TOKEN: token, TBE_URL: down }),
    ]);
    expect(unknown.code).toBe(2);
    expect(lines(unknown.stderr)).toEqual([
      'error: unknown command "frobnicate" (run "pnpm tbe help" for the commands)',
    ]);
    expect(badSetting.code).toBe(2);
    expect(lines(badSetting.stderr)).toHaveLength(1);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: pnpm tbe <command>');
    expect(noToken.code).toBe(1);
    expect(lines(noToken.stderr)).toEqual(['ADMIN_TOKEN: required by the cli role']);
    expect(unreachable.code).toBe(1);
    expect(lines(unreachable.stderr)).toEqual([
      `error: cannot reach the dashboard at ${down} (ECONNREFUSED)`,
    ]);
    expect(unreachable.stderr).not.toContain(token);
  });
});
