/** One dependency check: resolves when the dependency answers, rejects with why not. */
export interface Probe {
  readonly name: string;
  readonly check: () => Promise<void>;
}

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, { readonly ok: boolean; readonly error?: string }>>;
}

/** Runs every probe concurrently, each bounded by `timeoutMs`. */
export async function checkReadiness(
  probes: readonly Probe[],
  timeoutMs = 2_000,
): Promise<Readiness> {
  const outcomes = await Promise.all(
    probes.map(async (probe) => [probe.name, await settle(probe.check, timeoutMs)] as const),
  );
  return { ready: outcomes.every(([, o]) => o.ok), checks: Object.fromEntries(outcomes) };
}

async function settle(
  check: () => Promise<void>,
  timeoutMs: number,
): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
