import { startApp, stopApp, until } from './index';

describe('app-processes', () => {
  it('runs an app of the repo and collects what it prints', async () => {
    const app = startApp('simulator', ['--help']);
    expect(await app.exited).toBe(0);
    expect(app.output()).toContain('Usage: simulator');
  });

  it('stops a running app (SIGTERM, then SIGKILL)', async () => {
    const app = startApp('dashboard', ['--http-port', '0']);
    await until(
      'the dashboard',
      () => (/\[dashboard\] http/.test(app.output()) ? true : undefined),
      60_000,
    );
    await stopApp(app, 5_000);
    expect(app.child.exitCode !== null || app.child.signalCode !== null).toBe(true);
  });

  it('polls until a value comes, or says what it waited for', async () => {
    let n = 0;
    expect(await until('n to reach 3', () => (++n >= 3 ? n : undefined))).toBe(3);
    await expect(until('never', () => undefined, 300)).rejects.toThrow(
      'timed out waiting for never',
    );
  });
});
