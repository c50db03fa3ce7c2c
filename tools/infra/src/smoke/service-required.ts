/**
 * Runs `connect` and turns a failure into an error that says which service is missing and how to
 * start it. Smoke tests never skip: a missing service fails the run, in CI and everywhere else.
 */
export async function requireService<T>(
  service: string,
  address: string,
  connect: () => Promise<T>,
): Promise<T> {
  try {
    return await connect();
  } catch (cause) {
    throw new Error(
      `${service} is not reachable at ${address}: start the services with \`npx nx run infra:up\` ` +
        `(or point the env variable at a running one). Cause: ${(cause as Error).message}`,
      { cause },
    );
  }
}

/** A name no other test run uses, so runs never see each other's topics, subjects or tables. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
