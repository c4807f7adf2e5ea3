/** What every CLI command shares: its shape, option parsing, the usage error (exit code 2). */

/** A command line that is not understood: exit code 2, with the command's usage. */
export class UsageError extends Error {}

export type Command = {
  usage: string;
  summary: string;
  /** Longer help: options, what it prints, exit codes. */
  help: string;
  /** Returns the exit code (undefined = 0); throws for failures (1) and UsageError (2). */
  run(args: string[]): Promise<number | void>;
};

export function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) {
    const v = args[i + 1];
    if (v === undefined || v.startsWith("--")) throw new UsageError(`${name} needs a value`);
    return v;
  }
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}
/** Arguments that are not options (nor option values). */
export function positional(args: string[], withValues: string[] = []): string[] {
  return args.filter((a, i) => !a.startsWith("--") && !withValues.includes(args[i - 1] ?? ""));
}

