/** How every gradlab-scripts command reads its flags: strict, and -h/--help prints the command's usage. */
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';

const HELP = { help: { type: 'boolean', short: 'h' } } as const;
type Values<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O & typeof HELP; strict: true }>
>['values'];

/**
 * Parses `argv` against `options` plus -h/--help (unknown flags throw, which the CLI reports as a usage
 * error). Returns undefined after printing `help`: the command then exits 0.
 */
export function parseCommand<const O extends ParseArgsOptionsConfig>(argv: string[], help: string, options: O) {
  const values = parseArgs({ args: argv, options: { ...options, ...HELP }, strict: true }).values as Values<O>;
  if ((values as { help?: boolean }).help) {
    console.log(help);
    return undefined;
  }
  return values;
}
