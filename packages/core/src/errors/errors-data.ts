import { type ErrorEntry, PluginErrors } from '@gradlab/plugin-api';

/** "An activation", "An initializer", "A probe": the kind with its article, to start a sentence. */
const aKind = (kind: string) => `${/^[aeiou]/.test(kind) ? 'An' : 'A'} ${kind}`;

/**
 * The catalog of every error gradlab raises. Names are permanent (docs/errors.md): the site's
 * error reference is generated from this list, so each entry's title, message and hint are
 * what a user reads. The option and plugin-definition errors live in the contract package
 * (plugins raise them) and are part of this catalog too.
 */
export const ErrorData = {
  ...PluginErrors,
  ExperimentSpecError: {
    name: 'ExperimentSpecError',
    title: 'The experiment spec is invalid.',
    message: (issues: readonly { path: string; message: string; hint?: string }[]) =>
      `The experiment spec has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n` +
      issues.map((i) => `  - \`${i.path || '(root)'}\`: ${i.message}${i.hint ? `\n    ${i.hint}` : ''}`).join('\n'),
    hint: () =>
      'Every problem is listed with its path; the JSON Schema @gradlab/core/schema/experiment.schema.json describes valid specs.',
  },
  UnknownPlugin: {
    name: 'UnknownPlugin',
    title: 'Unknown plugin id.',
    message: (kind: string, id: string, suggestions: readonly string[], registered: readonly string[]) =>
      `Unknown ${kind} "${id}".` +
      (suggestions.length ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '') +
      ` Registered ${kind}s: ${registered.length ? registered.join(', ') : '(none)'}.`,
    hint: (kind: string) =>
      `Official plugins are published as @gradlab/${kind}-<id>: install one (or @gradlab/preset-standard) and add it with registry.use(…).`,
  },
  InvalidPluginRef: {
    name: 'InvalidPluginRef',
    title: 'A plugin reference has the wrong form.',
    message: (kind: string, received: string) =>
      `${aKind(kind)} must be an id such as "relu" or a pair such as ["leaky-relu", { "alpha": 0.1 }] (received ${received}).`,
  },
  DuplicatePlugin: {
    name: 'DuplicatePlugin',
    title: 'Two plugins claim the same id.',
    message: (kind: string, id: string) => `${aKind(kind)} with id or alias "${id}" is already registered.`,
    hint: () =>
      'Registering the same id twice is an error so results stay reproducible; pass { override: true } to replace it on purpose.',
  },
  RegistryFrozen: {
    name: 'RegistryFrozen',
    title: 'The registry is frozen.',
    message: (id: string) => `Cannot register "${id}": the registry was frozen when training started.`,
    hint: () => 'Register every plugin before calling train() or createSession(), or use a new registry.',
  },
  InvalidPreset: {
    name: 'InvalidPreset',
    title: 'registry.use() received something that is not a plugin.',
    message: (received: string) =>
      `registry.use() expects a plugin definition or an array of them (received ${received}).`,
    hint: () => 'Import the default export of a plugin package: import relu from "@gradlab/activation-relu".',
  },
  NonFiniteLoss: {
    name: 'NonFiniteLoss',
    title: 'Training stopped on a non-finite loss.',
    message: (step: number, loss: number) =>
      `Training stopped at step ${step}: the loss is ${loss}. The parameters are kept as they were before this step.`,
    hint: () =>
      'Gradients exploded or a value overflowed. Try a lower learning rate, clipping ("global-norm"), a smaller initializer scale ("he", "glorot"), or batch normalization; attach the "nan-watch" probe to find where it started.',
  },
  MissingRegistry: {
    name: 'MissingRegistry',
    title: 'A function that resolves plugins was called without a registry.',
    message: (fn: string, received: string) =>
      `${fn}() needs { registry } in its options, to resolve the plugin ids of the spec (received ${received}).`,
    hint: () =>
      'Create one with createRegistry().use(standard), standard being the default export of @gradlab/preset-standard, and pass { registry }.',
  },
  PluginIdInUse: {
    name: 'PluginIdInUse',
    title: 'A plugin id is already used by a plugin of another kind.',
    message: (kind: string, id: string, other: string) =>
      `${aKind(kind)} cannot use the id or alias "${id}": ${aKind(other).toLowerCase()} is registered under it.`,
    hint: () =>
      'Ids are unique across kinds, so that an id in a finding, a hint or `gradlab explain` names one plugin. Rename the plugin, e.g. "my-<id>".',
  },
  InvalidOptions: {
    name: 'InvalidOptions',
    title: 'Options passed to a function are invalid.',
    message: (fn: string, issues: readonly { option: string; message: string }[]) =>
      `${fn}() received ${issues.length} invalid option${issues.length === 1 ? '' : 's'}:\n` +
      issues.map((i) => `  - \`${i.option}\`: ${i.message}`).join('\n'),
    hint: (fn: string) => `Every problem is listed with the option's name; see ${fn}() in the package README.`,
  },
  SessionFinished: {
    name: 'SessionFinished',
    title: 'A session was stepped past its last step.',
    message: (total: number) =>
      `session.step() was called after the last step: the session has run all its ${total} steps (train.steps or train.epochs).`,
    hint: () =>
      'Loop while session.stepCount < session.totalSteps (session.run() does), or create a session with more steps.',
  },
  DataShapeError: {
    name: 'DataShapeError',
    title: 'The data does not fit the model.',
    message: (problem: string) => `The data does not fit the model: ${problem}.`,
  },
  WeightsError: {
    name: 'WeightsError',
    title: 'The given weights do not fit the model.',
    message: (problem: string) => `The weights passed to createSession do not fit the model: ${problem}.`,
    hint: () =>
      'Pass the model that loadModel() returns for the same spec, or tensors named as saveModel() names them (dense_0.W, rnn_0.Wh, …).',
  },
  ModelFormatError: {
    name: 'ModelFormatError',
    title: 'A saved model could not be read.',
    message: (problem: string) => `Cannot load the saved model: ${problem}.`,
    hint: () => 'Load files written by saveModel() of @gradlab/core; the format is documented in its README.',
  },
  KernelsUnavailable: {
    name: 'KernelsUnavailable',
    title: 'The WebAssembly kernels cannot run here.',
    message: (requested: string, reason: string) => `Kernels "${requested}" were requested, but ${reason}.`,
    hint: () =>
      'Use useKernels("auto") (or GRADLAB_KERNELS=auto) to fall back to the JavaScript kernels, which give the same bits. In a browser, a Content-Security-Policy needs \'wasm-unsafe-eval\' in script-src.',
  },
  InvalidKernelMode: {
    name: 'InvalidKernelMode',
    title: 'Unknown kernel mode.',
    message: (received: string) => `Kernel mode must be "js", "auto" or "wasm" (received ${received}).`,
    hint: () => 'In the CLI, set GRADLAB_KERNELS to js, auto or wasm, or leave it unset for auto.',
  },
} as const satisfies Record<string, ErrorEntry<never>>;

export type ErrorName = keyof typeof ErrorData;

/**
 * Issue codes of spec validation. Each issue in an ExperimentSpecError has one; the error
 * reference documents them with the catalog above.
 */
export const SpecIssueCodes = {
  Required: 'A required field is missing.',
  InvalidType: 'A field has the wrong type.',
  OutOfRange: 'A number is outside its allowed range (limits are documented in the JSON Schema).',
  UnknownField: 'A field is not part of the spec (often a typo).',
  UnknownPlugin: 'A plugin id is not registered.',
  UnknownPluginOption: 'A plugin option name is unknown.',
  InvalidPluginOption: 'A plugin option value is invalid.',
  InvalidPluginOptions: 'Plugin options are not an object.',
  InvalidPluginRef: 'A plugin reference is neither an id nor an [id, options] pair.',
  Incompatible: 'Two fields disagree (layer sizes, loss and task, output width).',
  MemoryLimit: 'Training would need more memory than the limit (estimated from the spec before anything is allocated).',
} as const;
export type SpecIssueCode = keyof typeof SpecIssueCodes;
