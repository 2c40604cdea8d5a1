import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startAllSimulators } from './all.ts';
import { call } from './common/testing.ts';
import { runSimulators } from './main.ts';

describe('all simulators', () => {
  it('when all three start, then each answers under its device address and violations are tagged', async () => {
    const sims = await startAllSimulators();
    try {
      expect(sims.wm.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ticketing-wm$/);
      expect(sims.cherwell.url).toMatch(/\/CherwellAPI$/);
      expect(sims.sfyc.url).toMatch(/\/api$/);
      expect((await call(`${sims.wm.url}/tickets/changes`)).status).toBe(200);
      await call(`${sims.sfyc.url}/v1/tickets/search`, { method: 'POST', json: {} });
      expect(sims.violations()).toMatchObject([{ simulator: 'sfyc', kind: 'invalid-token' }]);
      sims.reset();
      expect(sims.violations()).toEqual([]);
    } finally {
      await sims.close();
    }
  });

  it('when a port is taken, then start-up fails and leaves nothing listening', async () => {
    const first = await startAllSimulators();
    try {
      await expect(startAllSimulators({ cherwell: { port: first.cherwell.port } })).rejects.toThrow(
        /EADDRINUSE/,
      );
    } finally {
      await first.close();
    }
  });

  it('when runSimulators starts them from the environment, then it prints URLs and the credentials', async () => {
    const lines: string[] = [];
    const sims = await runSimulators({
      env: { SIM_CHERWELL_PASSWORD: 'pw', SIM_WM_TOKEN: 't0k', SIM_TRICKLE_PER_SECOND: '50' },
      log: (line) => lines.push(line),
      handleSignals: false,
    });
    try {
      expect(lines).toContain(`WM_URL=${sims.wm.url}`);
      expect(lines).toContain('CHERWELL_PASSWORD=pw');
      expect(lines).toContain('WM_TOKEN=t0k');
      expect(lines.some((l) => l.startsWith('SFYC_CLIENT_SECRET='))).toBe(true);
      expect((await call(`${sims.wm.url}/tickets/changes`)).status).toBe(401);
    } finally {
      await sims.close();
    }
    await expect(runSimulators({ env: { SIM_WM_PORT: 'x' }, handleSignals: false })).rejects.toThrow(
      /SIM_WM_PORT/,
    );
  });

  it('when main.ts is run with tsx, then it prints the URLs and stops on SIGTERM', async () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('SFYC_CLIENT_SECRET=')) resolve();
      });
      child.once('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    const url = /WM_URL=(\S+)/.exec(out)?.[1] ?? '';
    expect((await call(`${url}/tickets/changes`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
