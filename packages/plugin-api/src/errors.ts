/**
 * Errors are API: every error gradlab raises has a permanent PascalCase `name`, a `title`,
 * a message that says what went wrong and a hint that says what to do (Astro's error catalog).
 * `String(error)` reads `Name: message`, so there is never an "Error:" prefix.
 */
export interface ErrorEntry<A extends readonly unknown[] = readonly never[]> {
  /** Permanent name; never renamed once published. */
  readonly name: string;
  /** One-line title for the error reference page. */
  readonly title: string;
  readonly message: (...args: A) => string;
  readonly hint?: (...args: A) => string;
}

export interface GradlabErrorDetails {
  /** Where in a spec the problem is, e.g. `model.layers[1].activation`. */
  readonly path?: string;
  /** Qualified plugin id, e.g. `activation:gelu`, for errors raised inside a plugin (rollup's PLUGIN_ERROR). */
  readonly plugin?: string;
  /** The plugin hook that failed, e.g. `derivative`. */
  readonly hook?: string;
  readonly cause?: unknown;
}

export class GradlabError extends Error {
  /** Same as `name`; kept for tools that read `code` (Node, rollup). */
  readonly code: string;
  readonly title: string;
  readonly hint: string | undefined;
  readonly path: string | undefined;
  readonly plugin: string | undefined;
  readonly hook: string | undefined;

  constructor(init: { name: string; title: string; message: string; hint?: string } & GradlabErrorDetails) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = init.name;
    this.code = init.name;
    this.title = init.title;
    this.hint = init.hint;
    this.path = init.path;
    this.plugin = init.plugin;
    this.hook = init.hook;
  }

  /** `Name: message` followed by an indented `Hint:` line when there is one. */
  format(): string {
    return this.hint ? `${this.name}: ${this.message}\n  Hint: ${this.hint}` : `${this.name}: ${this.message}`;
  }
}

/** Build a {@link GradlabError} from a catalog entry. */
export function createError<A extends readonly unknown[]>(
  entry: ErrorEntry<A>,
  args: A,
  details: GradlabErrorDetails = {},
): GradlabError {
  return new GradlabError({
    name: entry.name,
    title: entry.title,
    message: entry.message(...args),
    hint: entry.hint?.(...args),
    ...details,
  });
}

/** Errors raised by the contract itself: option validation and plugin definitions. */
export const PluginErrors = {
  UnknownPluginOption: {
    name: 'UnknownPluginOption',
    title: 'Unknown plugin option.',
    message: (owner: string, key: string, suggestions: readonly string[], valid: readonly string[]) =>
      `Unknown option \`${key}\` for ${owner}.` +
      (suggestions.length ? ` Did you mean ${suggestions.map((s) => `\`${s}\``).join(' or ')}?` : '') +
      ` Valid options: ${valid.length ? valid.join(', ') : '(none)'}.`,
    hint: () => 'Option names are case-sensitive; see the plugin README for its options table.',
  },
  InvalidPluginOption: {
    name: 'InvalidPluginOption',
    title: 'Invalid plugin option value.',
    message: (owner: string, key: string, expected: string, received: unknown) =>
      `Option \`${key}\` of ${owner} must be ${expected} (received ${describeValue(received)}).`,
  },
  InvalidPluginOptions: {
    name: 'InvalidPluginOptions',
    title: 'Plugin options must be an object.',
    message: (owner: string, received: unknown) =>
      `Options for ${owner} must be an object such as { "key": value } (received ${describeValue(received)}).`,
  },
  InvalidPluginDefinition: {
    name: 'InvalidPluginDefinition',
    title: 'A plugin definition breaks the contract.',
    message: (owner: string, problem: string) => `Invalid definition of ${owner}: ${problem}.`,
    hint: () => 'Run the conformance suite for this kind from @gradlab/testkit; it names each broken rule.',
  },
  PluginError: {
    name: 'PluginError',
    title: 'A plugin hook failed.',
    message: (plugin: string, hook: string, problem: string) => `[${plugin}] ${hook} ${problem}`,
    hint: (plugin: string) =>
      `Run the conformance suite for ${plugin} (describeActivation and friends in @gradlab/testkit); it checks extreme inputs.`,
  },
} as const satisfies Record<string, ErrorEntry<never>>;

/** Short, safe rendering of a received value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
