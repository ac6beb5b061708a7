/** The command-line flags the benchmarks take. */

/** The value after `flag` on the command line, when the flag is given. */
export function flagValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The positive whole number after `flag`, or `fallback` without the flag; anything else fails, naming the flag. */
export function countFlag(flag: string, fallback: number): number {
  const given = flagValue(flag);
  const value = given === undefined && !process.argv.includes(flag) ? fallback : Number(given);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${flag} needs a positive whole number, got ${given}`);
  return value;
}
