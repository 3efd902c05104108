/** Where a command writes, and what it knows about the terminal. Tests and `main()` callers pass their own. */
export interface Stream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface Io {
  readonly stdout: Stream;
  readonly stderr: Stream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
}

/**
 * Colour is on when the stream is a terminal, unless NO_COLOR is set to anything non-empty
 * (https://no-color.org). FORCE_COLOR (1, 2, 3 or true) turns it on off a terminal, for
 * example in CI logs; FORCE_COLOR=0 turns it off. NO_COLOR wins when both are set.
 */
export function colorEnabled(stream: Stream, env: Io['env']): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false', 'no'].includes(force.toLowerCase());
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string) => text;

export function createStyle(enabled: boolean): Style {
  return {
    enabled,
    bold: enabled ? sgr(1, 22) : plain,
    dim: enabled ? sgr(2, 22) : plain,
    red: enabled ? sgr(31, 39) : plain,
    yellow: enabled ? sgr(33, 39) : plain,
    green: enabled ? sgr(32, 39) : plain,
    cyan: enabled ? sgr(36, 39) : plain,
  };
}

/** Visible width: escape codes take no room. */
export function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point.
  return [...text.replace(/\x1b\[[0-9;]*m/g, '')].length;
}

/** Progress bars and live lines only on an interactive terminal. */
export function isInteractive(stream: Stream, env: Io['env']): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb' && !env.CI;
}
