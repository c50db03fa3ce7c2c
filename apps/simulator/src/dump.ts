import { once } from 'node:events';
import { closeSync, createWriteStream, openSync, WriteStream } from 'node:fs';

export class DumpError extends Error {
  readonly code = 'DUMP_FAILED';
}

/**
 * JSON lines, one per produced message, in production order; `close()` waits until all is on
 * disk. The file is created at once, so a bad path fails before anything is produced, and a
 * later write error is kept and reported by `drain` or `close` instead of crashing the process.
 */
export class DumpFile {
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(private readonly path: string) {
    try {
      closeSync(openSync(path, 'w'));
    } catch (cause) {
      throw new DumpError(`cannot write the dump file ${path}: ${(cause as Error).message}`, {
        cause,
      });
    }
    this.stream = createWriteStream(path, { flags: 'w' });
    this.stream.on('error', (error) => (this.failure ??= error));
  }

  write(topic: string, record: object): void {
    if (!this.failure && !this.stream.writableEnded)
      this.stream.write(`${JSON.stringify({ topic, ...record })}\n`);
  }

  /**
   * Lets the file catch up when it falls behind (the producer must not outrun the disk forever).
   */
  async drain(): Promise<void> {
    this.throwIfFailed();
    if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (!this.stream.writableEnded) this.stream.end();
    if (!this.stream.writableFinished && !this.failure) await once(this.stream, 'close');
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure)
      throw new DumpError(`writing the dump file ${this.path} failed: ${this.failure.message}`, {
        cause: this.failure,
      });
  }
}
