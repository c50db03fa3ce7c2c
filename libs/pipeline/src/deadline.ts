/** `work`, or a rejection with `expired` once `timeoutMs` passed first. */
export async function withDeadline<T>(
  work: Promise<T>,
  timeoutMs: number,
  expired: Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expired), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
