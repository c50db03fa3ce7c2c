import { Command, CommanderError, Option } from 'commander';

/** A flag with its env twin and default, as every app declares them. */
export function flag(flags: string, description: string, env?: string, fallback?: string): Option {
  const option = new Option(flags, description);
  if (env) option.env(env);
  if (fallback !== undefined) option.default(fallback);
  return option;
}

/**
 * Usage errors (unknown flag, missing value) print one hint line and exit 2, as bad values do;
 * --help exits 0.
 */
export function withUsageErrors(command: Command): Command {
  return command
    .showHelpAfterError('(run with --help for every flag)')
    .exitOverride((error: CommanderError) => process.exit(error.exitCode === 0 ? 0 : 2));
}

/** Each validation issue of the parsed flags as `--flag-name=value: problem`. */
export function flagProblems(
  issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[],
  raw: Record<string, unknown>,
): string[] {
  return issues.map((i) => {
    const key = String(i.path[0]);
    return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}=${String(raw[key])}: ${i.message}`;
  });
}
