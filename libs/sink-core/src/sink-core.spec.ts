import { BatchingWriter, RetriesExhaustedError, SinkError, withRetry } from './index';

const transient = () => new SinkError('DOWN', 'server restarting', true);

describe('withRetry', () => {
  it('retries retriable errors until success, reporting each retry', async () => {
    let calls = 0;
    const retries: number[] = [];
    const result = await withRetry(
      async () => {
        calls += 1;
        if (calls < 4) throw transient();
        return 'ok';
      },
      { initialDelayMs: 1, onRetry: (_e, attempt) => retries.push(attempt) },
    );
    expect(result).toBe('ok');
    expect(retries).toEqual([1, 2, 3]);
  });

  it('bails at once on a permanent error', async () => {
    let calls = 0;
    const permanent = new SinkError('BAD_VALUE', 'out of range', false);
    await expect(
      withRetry(async () => {
        calls += 1;
        throw permanent;
      }),
    ).rejects.toBe(permanent);
    expect(calls).toBe(1);
  });

  it('gives up after the time budget with the last error as cause', async () => {
    const attempt = withRetry(
      async () => {
        throw transient();
      },
      { maxElapsedMs: 50, initialDelayMs: 5, maxDelayMs: 10 },
    );
    await expect(attempt).rejects.toBeInstanceOf(RetriesExhaustedError);
    await expect(attempt).rejects.toMatchObject({ code: 'RETRIES_EXHAUSTED', retriable: false });
  });
});

describe('BatchingWriter', () => {
  function recorder(delayMs = 0) {
    const batches: number[][] = [];
    const writer = (limits: object) =>
      new BatchingWriter<number>(
        async (items) => {
          await new Promise((r) => setTimeout(r, delayMs));
          batches.push(items);
        },
        () => 10,
        limits,
      );
    return { batches, writer };
  }

  it('cuts batches by count and by bytes, in order', async () => {
    const { batches, writer } = recorder();
    const byCount = writer({ maxItems: 3 });
    await byCount.write([1, 2, 3, 4, 5, 6, 7]);
    await byCount.flush();
    expect(batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    batches.length = 0;
    const byBytes = writer({ maxItems: 100, maxBytes: 20 });
    await byBytes.write([1, 2, 3, 4, 5]);
    await byBytes.close();
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('flushes a small batch after the delay, without an explicit flush', async () => {
    const { batches, writer } = recorder();
    await writer({ maxItems: 100, maxDelayMs: 20 }).write([1]);
    expect(batches).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(batches).toEqual([[1]]);
  });

  it('makes a fast writer wait while too much is pending (backpressure)', async () => {
    const { writer } = recorder(30);
    const w = writer({ maxItems: 2, maxPendingItems: 4 });
    for (let i = 0; i < 10; i += 1) {
      await w.write([i]);
      expect(w.pendingItems).toBeLessThanOrEqual(5);
    }
    await w.close();
    expect(w.pendingItems).toBe(0);
  });

  it('reports a failed batch on the next call and writes nothing after it', async () => {
    const written: number[] = [];
    const w = new BatchingWriter<number>(
      async (items) => {
        if (items.includes(2)) throw new SinkError('BAD_VALUE', 'no twos', false);
        written.push(...items);
      },
      () => 1,
      { maxItems: 1 },
    );
    await w.write([1, 2, 3]).catch(() => undefined);
    await expect(w.flush()).rejects.toMatchObject({ code: 'BAD_VALUE' });
    await expect(w.write([4])).rejects.toMatchObject({ code: 'BAD_VALUE' });
    expect(written).toEqual([1]);
  });
});
