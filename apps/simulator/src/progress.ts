/** Live counters per scenario, printed to stderr once a second. */
export class Progress {
  private readonly counts = new Map<string, { messages: number; lastMessages: number }>();
  private timer: NodeJS.Timeout | undefined;
  private lastAt = performance.now();

  constructor(private readonly quiet: boolean) {}

  count(scenario: string, messages: number): void {
    const entry = this.counts.get(scenario) ?? { messages: 0, lastMessages: 0 };
    entry.messages += messages;
    this.counts.set(scenario, entry);
  }

  start(): void {
    if (!this.quiet) this.timer = setInterval(() => this.print(), 1_000).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private print(): void {
    const now = performance.now();
    const seconds = (now - this.lastAt) / 1000;
    this.lastAt = now;
    const parts = [...this.counts].map(([name, c]) => {
      const rate = (c.messages - c.lastMessages) / seconds;
      c.lastMessages = c.messages;
      return `${name}: ${c.messages.toLocaleString('en-US')} msgs (${Math.round(rate).toLocaleString('en-US')}/s)`;
    });
    process.stderr.write(`[simulator] ${parts.join(' | ')}\n`);
  }
}
