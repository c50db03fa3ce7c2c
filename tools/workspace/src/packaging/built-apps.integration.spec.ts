import { operationsUrlOf, startBuiltApp as start, until } from '@rta/app-processes';

/**
 * The apps as they ship (`nx build`, run first by this target's dependsOn): plain JavaScript
 * started by node, no tsx, no TypeScript sources. The aggregator joins the real services and
 * stops cleanly; the simulator and the dashboard answer --help.
 */
describe('the built apps', () => {
  it.each(['simulator', 'dashboard', 'aggregator'])('%s --help prints its usage', async (app) => {
    const p = start(app, ['--help']);
    expect(await p.exited).toBe(0);
    expect(p.output()).toMatch(new RegExp(`^Usage: ${app} \\[options\\]`));
  });

  it('the aggregator joins the real services, is ready, and stops cleanly on SIGTERM', async () => {
    const id = `built-${process.pid}-${Date.now()}`;
    const p = start('aggregator', ['--http-port', '0'], {
      env: {
        GAME_TOPIC: `${id}-game`,
        ECOMMERCE_TOPIC: `${id}-shop`,
        AGGREGATOR_GROUP_ID: id,
        DEAD_LETTER_TOPIC: `${id}-dead`,
        LATE_EVENTS_TOPIC: `${id}-late`,
      },
    });
    try {
      const url = await until(
        'the built aggregator to consume',
        () => (p.child.exitCode !== null ? 'exited' : operationsUrlOf(p)),
        90_000,
      );
      if (url === 'exited')
        throw new Error(
          `the built aggregator exited (${String(p.child.exitCode)}):\n${p.output()}`,
        );
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ready = await until(
        'ready',
        async () => ((await fetch(`${url}/health/ready`)).ok ? true : undefined),
        60_000,
      );
      expect(ready).toBe(true);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      expect(p.output()).toMatch(/"msg":"stopped cleanly"/);
    } finally {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
    }
  }, 180_000);
});
