import { createWriteStream, WriteStream } from 'node:fs';
import { once } from 'node:events';

/** JSON lines, one per produced message, in production order; `close()` waits until all is on disk. */
export class DumpFile {
  private readonly stream: WriteStream;

  constructor(path: string) {
    this.stream = createWriteStream(path, { flags: 'w' });
  }

  write(topic: string, record: object): void {
    this.stream.write(`${JSON.stringify({ topic, ...record })}\n`);
  }

  /** Lets the file catch up when it falls behind (the producer must not outrun the disk forever). */
  async drain(): Promise<void> {
    if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
