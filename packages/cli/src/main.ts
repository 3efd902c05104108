import { readFileSync } from 'node:fs';
import { type KernelMode, useKernels } from '@gradlab/core';
import { suggestNames } from '@gradlab/plugin-api';
import { commandHelp, parseCommandLine } from './args.ts';
import { compare } from './commands/compare.ts';
import { doctor } from './commands/doctor.ts';
import { explain } from './commands/explain.ts';
import { gradcheck } from './commands/gradcheck.ts';
import { list } from './commands/list.ts';
import { probe } from './commands/probe.ts';
import { run } from './commands/run.ts';
import type { Command, Context } from './commands/types.ts';
import { validate } from './commands/validate.ts';
import { describeError, EXIT, quoteList, usageError } from './errors.ts';
import { cliRegistry } from './plugins.ts';
import { colorEnabled, createStyle, type Io } from './term.ts';

/** Every command, in the order `gradlab --help` lists them. */
export const COMMANDS: readonly Command[] = [probe, doctor, compare, gradcheck, run, validate, list, explain];

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length)) + 3;
  return [
    `gradlab ${version()}: measure why ReLU mitigates vanishing gradients, and why it can still explode.`,
    '',
    'Usage: gradlab <command> [flags]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary}`),
    '',
    'Flags:',
    "  -h, --help      Show help; after a command, that command's help (gradlab probe --help).",
    '  -v, --version   Print the version.',
    '',
    'Environment:',
    '  NO_COLOR=1        No colour, even on a terminal.',
    '  FORCE_COLOR=1     Colour even when output is not a terminal (NO_COLOR wins if both are set).',
    '  GRADLAB_DEBUG=1   Print stack traces with errors.',
    '  GRADLAB_KERNELS   auto (default: wasm SIMD if it runs here), wasm (refuse to run without it) or js.',
    '                    Results are bit-identical either way; only speed differs.',
    '',
    'Exit codes: 0 success, 1 failure (bad file or spec, failed run, problems found), 2 usage error,',
    '130 run interrupted with Ctrl-C (outputs still written).',
  ].join('\n');
}

export interface MainOptions {
  /** Subscribe to Ctrl-C; the default listens to the process's SIGINT. */
  readonly onInterrupt?: Context['onInterrupt'];
}

/**
 * Run the CLI on `argv` (without `node` and the script) and return the exit code. Errors are
 * printed as one message without a stack trace (set GRADLAB_DEBUG=1 for it).
 */
export async function main(argv: readonly string[], io: Io, options: MainOptions = {}): Promise<number> {
  const style = createStyle(colorEnabled(io.stdout, io.env));
  const errStyle = createStyle(colorEnabled(io.stderr, io.env));
  const ctx: Context = {
    io,
    style,
    errStyle,
    registry: cliRegistry,
    onInterrupt:
      options.onInterrupt ??
      ((handler) => {
        process.once('SIGINT', handler);
        return () => process.removeListener('SIGINT', handler);
      }),
  };
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined;
      const command = topic ? findCommand(topic) : undefined;
      // Bare `gradlab` is a usage error: the help goes to stderr and the exit code is 2.
      (first === undefined ? io.stderr : io.stdout).write(`${command ? commandHelp(command.spec) : globalHelp()}\n`);
      return first === undefined ? EXIT.usage : EXIT.ok;
    }
    if (first === '--version' || first === '-v' || first === '-V') {
      io.stdout.write(`${version()}\n`);
      return EXIT.ok;
    }
    if (first.startsWith('-')) {
      throw usageError(
        `gradlab needs a command before flags (received ${first}). Run "gradlab --help" for the commands.`,
      );
    }
    const command = findCommand(first);
    useKernels((io.env.GRADLAB_KERNELS || 'auto') as KernelMode);
    const args = parseCommandLine(command.spec, rest);
    if (args.values.help) {
      io.stdout.write(`${commandHelp(command.spec)}\n`);
      return EXIT.ok;
    }
    return await command.run(args, ctx);
  } catch (error) {
    const { text, exitCode } = describeError(error, io.env.GRADLAB_DEBUG === '1');
    if (text)
      io.stderr.write(
        `${errStyle.red(text.split('\n')[0])}${text.includes('\n') ? text.slice(text.indexOf('\n')) : ''}\n`,
      );
    return exitCode;
  }
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.spec.name === name);
  if (command) return command;
  const near = suggestNames(
    name,
    COMMANDS.map((c) => c.spec.name),
  );
  throw usageError(
    `Unknown command "${name}".${near.length ? ` Did you mean ${quoteList(near)}?` : ''} ` +
      `Commands: ${COMMANDS.map((c) => c.spec.name).join(', ')}.`,
  );
}
