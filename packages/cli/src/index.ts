/**
 * @gradlab/cli: the `gradlab` command. The binary is `dist/bin.js`; `main()` runs the same
 * CLI in-process (argv without `node` and the script, plus where to write).
 */
export type { CommandSpec, FlagSpec } from './args.ts';
export { EXIT } from './errors.ts';
export { COMMANDS, type MainOptions, main, version } from './main.ts';
export type { Io, Stream } from './term.ts';
