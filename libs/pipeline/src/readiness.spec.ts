import { checkReadiness } from './readiness';

describe('checkReadiness', () => {
  it('is ready only when every probe answers, and says why not', async () => {
    const result = await checkReadiness(
      [
        { name: 'up', check: async () => undefined },
        { name: 'down', check: async () => Promise.reject(new Error('connection refused')) },
        { name: 'hung', check: () => new Promise(() => undefined) },
      ],
      50,
    );
    expect(result).toEqual({
      ready: false,
      checks: {
        up: { ok: true },
        down: { ok: false, error: 'connection refused' },
        hung: { ok: false, error: 'no answer within 50 ms' },
      },
    });
  });

  it('is ready with every probe answering', async () => {
    expect(await checkReadiness([{ name: 'a', check: async () => undefined }])).toEqual({
      ready: true,
      checks: { a: { ok: true } },
    });
  });
});
