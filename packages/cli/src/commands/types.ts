import type { Registry } from '@gradlab/core';
import type { CommandSpec, ParsedArgs } from '../args.ts';
import type { Io, Style } from '../term.ts';

export interface Context {
  readonly io: Io;
  /** Colour for stdout. */
  readonly style: Style;
  /** Colour for stderr. */
  readonly errStyle: Style;
  /** A fresh registry with every installed plugin. */
  registry(): Registry;
  /** Subscribe to Ctrl-C; returns an unsubscribe function. */
  onInterrupt(handler: () => void): () => void;
}

export interface Command {
  readonly spec: CommandSpec;
  run(args: ParsedArgs, ctx: Context): number | Promise<number>;
}

/** Write a block of text to stdout, ending with one newline. */
export const print = (ctx: Context, text: string): void => {
  ctx.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
};
