import { parseArgs } from 'node:util';
import { suggestNames } from '@gradlab/plugin-api';
import { quoteList, usageError } from './errors.ts';

/** One flag of a command; the help text and the parser are both generated from this table. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Placeholder shown in the help, e.g. `N` for `--depth N`. */
  readonly value?: string;
  readonly description: string;
  /** Shown in the help as `(default …)`. */
  readonly default?: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Positionals after the command name, e.g. `<spec.json>`; optional ones are shown in brackets: `[kind]`. */
  readonly positionals: readonly { readonly name: string; readonly optional?: boolean }[];
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly description?: string;
  readonly examples: readonly string[];
}

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

export const HELP_FLAG: FlagSpec = { type: 'boolean', short: 'h', description: 'Show this help.' };

/**
 * Parse `argv` against a command's flag table. Unknown flags, missing values and surplus
 * arguments become one-line usage errors (exit code 2) with a did-you-mean where possible.
 */
export function parseCommandLine(command: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options = Object.fromEntries(
    Object.entries(command.flags).map(([name, f]) => [
      name,
      f.short ? { type: f.type, short: f.short } : { type: f.type },
    ]),
  );
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  const where = `gradlab ${command.name}`;
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(command.flags, token.name) ? command.flags[token.name] : undefined;
    if (!spec) {
      // `-d` is one letter: edit distance would suggest any short name (--lr); suggest flags starting with it.
      const names = Object.keys(command.flags);
      const near = (
        token.rawName.startsWith('--') ? suggestNames(token.name, names) : names.filter((n) => n.startsWith(token.name))
      ).map((n) => `--${n}`);
      throw usageError(
        `Unknown flag ${token.rawName} for ${where}.` +
          (near.length ? ` Did you mean ${near.join(' or ')}?` : '') +
          ` Run "${where} --help" to see its flags.`,
      );
    }
    if (spec.type === 'string' && token.value === undefined) {
      throw usageError(`${token.rawName} needs a value, e.g. ${token.rawName} ${spec.value ?? 'VALUE'}.`);
    }
    if (spec.type === 'boolean' && token.inlineValue) {
      throw usageError(`--${token.name} is a switch and takes no value (received "${token.value}").`);
    }
    values[token.name] = spec.type === 'boolean' ? true : token.value;
  }
  if (!values.help) {
    const max = command.positionals.length;
    if (positionals.length > max) {
      const extra = positionals[max];
      throw usageError(
        max === 0
          ? `${where} takes no arguments (received "${extra}"). Flags start with --, e.g. --depth 10.`
          : `Unexpected argument "${extra}" for ${where}: it takes ${positionalsText(command)}.`,
      );
    }
    const missing = command.positionals.find((p, i) => !p.optional && positionals[i] === undefined);
    if (missing) throw usageError(`${where} needs ${missing.name}, e.g. ${command.examples[0] ?? where}.`);
  }
  return { values, positionals };
}

/** `--depth must be a whole number between 1 and 1000 (received "abc").` */
export function parseInteger(flag: string, raw: string, min: number, max: number): number {
  const text = raw.trim();
  const n = /^[-+]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw usageError(`--${flag} must be a whole number between ${min} and ${max} (received "${raw}").`);
  }
  return n;
}

/** `--lr must be a number between 0 and 100 (received "fast").` Accepts 1e-3 style. */
export function parseNumber(flag: string, raw: string, min: number, max: number): number {
  const text = raw.trim();
  const n = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(n) || n < min || n > max) {
    const range = Number.isFinite(max) ? `between ${min} and ${max}` : `≥ ${min}`;
    throw usageError(`--${flag} must be a number ${range} (received "${raw}").`);
  }
  return n;
}

/** One of a fixed set of words, with a did-you-mean. */
export function parseChoice<T extends string>(flag: string, raw: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  const near = suggestNames(raw, choices);
  throw usageError(
    `--${flag} must be one of ${choices.join(', ')} (received "${raw}").` +
      (near.length ? ` Did you mean ${quoteList(near)}?` : ''),
  );
}

/** `relu,tanh` → ['relu', 'tanh']; empty items are an error. */
export function splitList(flag: string, raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) {
    throw usageError(`--${flag} has an empty item in "${raw}": separate values with single commas, e.g. relu,tanh.`);
  }
  return items;
}

/** `<spec.json>`, `[kind]`: positionals as the help shows them. */
const positionalsText = (command: CommandSpec) =>
  command.positionals.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(' ');

/** The `--help` text of a command, generated from its flag table. */
export function commandHelp(command: CommandSpec): string {
  const args = positionalsText(command);
  const rows = Object.entries(command.flags).map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : '    '}--${name}${f.value ? ` ${f.value}` : ''}`;
    const right = f.description + (f.default !== undefined ? ` (default ${f.default})` : '');
    return [left, right] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [
    `Usage: gradlab ${command.name}${args ? ` ${args}` : ''} [flags]`,
    '',
    command.summary,
    ...(command.description ? ['', command.description] : []),
    '',
    'Flags:',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
    '',
    'Examples:',
    ...command.examples.map((e) => `  ${e}`),
  ].join('\n');
}
