import { checkOptions, describeValue, suggestNames } from '@gradlab/plugin-api';
import { DATASETS, type DataShape } from '../datasets.ts';
import type { SpecIssue, SpecIssueCode } from '../errors/index.ts';
import { LOSS_IDS } from '../losses.ts';
import { OPTIMIZERS } from '../optimizers.ts';
import type { Registry } from '../registry.ts';
import { memoryIssues } from './memory.ts';
import { type ExperimentSpec, LIMITS } from './types.ts';

type Obj = Record<string, unknown>;

/** Collects issues with paths; every check returns the value when it is usable, else undefined. */
class Checker {
  readonly issues: SpecIssue[] = [];

  add(path: string, code: SpecIssueCode, message: string, hint?: string): undefined {
    this.issues.push({ path, code, message, hint });
    return undefined;
  }

  /** `example` (JSON) is shown when a required object is missing; objects without one are optional. */
  object(path: string, value: unknown, allowed: readonly string[], example?: string): Obj | undefined {
    if (value === undefined) return example ? this.add(path, 'Required', `is required, e.g. ${example}.`) : undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return this.add(path, 'InvalidType', `must be an object (received ${describeValue(value)}).`);
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        const near = suggestNames(key, allowed);
        this.add(
          join(path, key),
          'UnknownField',
          `is not a field of this object.${near.length ? ` Did you mean \`${near[0]}\`?` : ''}`,
          `Allowed fields: ${allowed.join(', ')}.`,
        );
      }
    }
    return value as Obj;
  }

  /** `what` names the field's meaning, e.g. "the layer width"; messages add the range and the received value. */
  integer(path: string, value: unknown, min: number, max: number, what: string, required = true): number | undefined {
    const expected = `a whole number ${range(min, max)}`;
    if (value === undefined)
      return required ? this.add(path, 'Required', `is required: ${what}, ${expected}.`) : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      const code = typeof value === 'number' && Number.isInteger(value) ? 'OutOfRange' : 'InvalidType';
      return this.add(path, code, `must be ${expected}: ${what} (received ${describeValue(value)}).`);
    }
    return value;
  }

  number(path: string, value: unknown, min: number, max: number, what: string): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      const code = typeof value === 'number' && Number.isFinite(value) ? 'OutOfRange' : 'InvalidType';
      return this.add(
        path,
        code,
        `must be a finite number ${range(min, max)}: ${what} (received ${describeValue(value)}).`,
      );
    }
    return value;
  }

  oneOf<T extends string>(path: string, value: unknown, values: readonly T[], required: boolean): T | undefined {
    if (value === undefined)
      return required ? this.add(path, 'Required', `is required: one of ${values.join(', ')}.`) : undefined;
    if (typeof value !== 'string' || !values.includes(value as T)) {
      const near = typeof value === 'string' ? suggestNames(value, values) : [];
      return this.add(
        path,
        typeof value === 'string' ? 'OutOfRange' : 'InvalidType',
        `must be one of ${values.map((v) => `"${v}"`).join(', ')} (received ${describeValue(value)}).` +
          (near.length ? ` Did you mean "${near[0]}"?` : ''),
      );
    }
    return value as T;
  }

  string(path: string, value: unknown): void {
    if (value !== undefined && typeof value !== 'string') {
      this.add(path, 'InvalidType', `must be a string (received ${describeValue(value)}).`);
    }
  }

  boolean(path: string, value: unknown): void {
    if (value !== undefined && typeof value !== 'boolean') {
      this.add(path, 'InvalidType', `must be true or false (received ${describeValue(value)}).`);
    }
  }

  array(path: string, value: unknown): readonly unknown[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value))
      return this.add(path, 'InvalidType', `must be an array (received ${describeValue(value)}).`);
    return value;
  }

  /** A reference into one of core's own tables (datasets, optimizers), checked like a plugin ref. */
  tableRef(path: string, what: string, ref: unknown, table: Readonly<Record<string, { options: never | object }>>) {
    const id = typeof ref === 'string' ? ref : Array.isArray(ref) && typeof ref[0] === 'string' ? ref[0] : undefined;
    if (id === undefined || (Array.isArray(ref) && ref.length > 2)) {
      return this.add(
        path,
        'InvalidPluginRef',
        `must be a ${what} id such as "${Object.keys(table)[0]}" or [id, options] (received ${describeValue(ref)}).`,
      );
    }
    const entry = Object.hasOwn(table, id) ? table[id] : undefined;
    if (!entry) {
      const near = suggestNames(id, Object.keys(table));
      return this.add(
        Array.isArray(ref) ? `${path}[0]` : path,
        'UnknownPlugin',
        `Unknown ${what} "${id}".${near.length ? ` Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''} Available: ${Object.keys(table).join(', ')}.`,
      );
    }
    const options = Array.isArray(ref) ? ref[1] : undefined;
    for (const issue of checkOptions(`${what} "${id}"`, entry.options as never, options)) {
      this.add(issue.key ? `${path}[1].${issue.key}` : `${path}[1]`, issue.code, issue.message, issue.hint);
    }
    return { id, options: (options ?? {}) as Obj };
  }
}

const range = (min: number, max: number) => (max >= Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `between ${min} and ${max}`);

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

const refId = (ref: unknown) => (typeof ref === 'string' ? ref : Array.isArray(ref) ? ref[0] : undefined);

/** The shape of the spec's dataset, or of data passed in directly. */
function dataShape(c: Checker, spec: Obj, given: DataShape | undefined): (DataShape & { rows?: number }) | undefined {
  if (given) return given;
  if (spec.data === undefined) {
    return c.add(
      'data',
      'Required',
      'is required unless data is passed to createSession().',
      `Datasets: ${Object.keys(DATASETS).join(', ')}.`,
    );
  }
  const ref = c.tableRef('data', 'dataset', spec.data, DATASETS as never);
  if (!ref || c.issues.some((i) => i.path.startsWith('data'))) return undefined;
  const def = DATASETS[ref.id];
  const options = {
    ...Object.fromEntries(Object.entries(def.options).map(([k, s]) => [k, s.default])),
    ...ref.options,
  };
  return { ...def.shape(options as never), rows: options.samples as number };
}

/**
 * Every problem with a spec, each with its path, code, message and hint; empty when valid.
 * `data` gives the shape of data passed to createSession instead of a `data` ref.
 */
export function validateExperiment(
  spec: unknown,
  registry: Registry,
  data?: DataShape & { rows?: number },
): SpecIssue[] {
  const c = new Checker();
  const root = c.object(
    '',
    spec,
    ['$schema', 'name', 'description', 'seed', 'data', 'model', 'train', 'probes'],
    '{ "seed": 1, "model": {…}, "train": {…} }',
  );
  if (!root) return c.issues;
  for (const key of ['$schema', 'name', 'description']) c.string(key, root[key]);
  c.integer('seed', root.seed, 0, Number.MAX_SAFE_INTEGER, 'the seed of every random stream, e.g. 1');
  const shape = dataShape(c, root, data);

  const plugin = (
    kind: 'activation' | 'initializer' | 'clipping' | 'regularizer' | 'probe',
    path: string,
    ref: unknown,
  ): void => {
    c.issues.push(...registry.check(kind, ref, path));
  };
  const pluginList = (kind: 'clipping' | 'regularizer' | 'probe', path: string, refs: unknown): void => {
    for (const [i, ref] of (c.array(path, refs) ?? []).entries()) plugin(kind, `${path}[${i}]`, ref);
  };

  // ---- model ----
  const model = c.object(
    'model',
    root.model,
    ['defaults', 'layers'],
    '{ "layers": [{ "type": "dense", "units": 1 }] }',
  );
  const defaults = model
    ? c.object('model.defaults', model.defaults, ['activation', 'initializer', 'biasInitializer'])
    : undefined;
  if (defaults?.activation !== undefined) plugin('activation', 'model.defaults.activation', defaults.activation);
  if (defaults?.initializer !== undefined) plugin('initializer', 'model.defaults.initializer', defaults.initializer);
  if (defaults?.biasInitializer !== undefined)
    plugin('initializer', 'model.defaults.biasInitializer', defaults.biasInitializer);
  const layers = model ? c.array('model.layers', model.layers) : undefined;
  if (model && model.layers === undefined)
    c.add('model.layers', 'Required', 'is required: a list of layers such as [{ "type": "dense", "units": 8 }].');
  if (layers && (layers.length === 0 || layers.length > LIMITS.layers)) {
    c.add('model.layers', 'OutOfRange', `must have between 1 and ${LIMITS.layers} layers (received ${layers.length}).`);
  }
  let width = shape && layers?.length ? shape.features * shape.steps : undefined;
  let lastActivation: unknown;
  let parameters = 0;
  (layers ?? []).forEach((raw, i) => {
    const path = `model.layers[${i}]`;
    const isObject = raw !== null && typeof raw === 'object' && !Array.isArray(raw);
    const type = isObject
      ? c.oneOf(`${path}.type`, (raw as Obj).type, ['dense', 'batchnorm', 'rnn'] as const, true)
      : undefined;
    const fields = {
      dense: ['type', 'units', 'activation', 'initializer', 'biasInitializer', 'residual'],
      batchnorm: ['type', 'activation', 'momentum', 'epsilon'],
      rnn: ['type', 'units', 'activation', 'initializer', 'recurrentInitializer', 'biasInitializer', 'truncate'],
    } as const;
    // Without a usable type, only fields no layer type has are reported as unknown.
    const layer = c.object(
      path,
      raw,
      type ? fields[type] : [...new Set(Object.values(fields).flat())],
      '{ "type": "dense", "units": 8 }',
    );
    if (!layer || !type) {
      width = undefined;
      lastActivation = undefined;
      return;
    }
    const activation =
      layer.activation !== undefined
        ? layer.activation
        : (defaults?.activation ?? (type === 'rnn' ? 'tanh' : 'linear'));
    plugin(
      'activation',
      layer.activation !== undefined ? `${path}.activation` : `${path}.activation (default)`,
      activation,
    );
    lastActivation = activation;
    if (type === 'batchnorm') {
      c.number(
        `${path}.momentum`,
        layer.momentum,
        0,
        1,
        'the weight of each batch in the running statistics, e.g. 0.1',
      );
      c.number(`${path}.epsilon`, layer.epsilon, 1e-12, 1, 'the small number added to the variance, e.g. 1e-5');
      if (width !== undefined) parameters += 2 * width;
      return;
    }
    const units = c.integer(`${path}.units`, layer.units, 1, LIMITS.units, 'the layer width');
    const initializer = layer.initializer !== undefined ? layer.initializer : defaults?.initializer;
    if (initializer === undefined) {
      c.add(
        `${path}.initializer`,
        'Required',
        'is required (here or in model.defaults.initializer).',
        'For ReLU-family activations try "he"; for tanh or sigmoid, "glorot".',
      );
    } else plugin('initializer', `${path}.initializer`, initializer);
    const bias = layer.biasInitializer !== undefined ? layer.biasInitializer : defaults?.biasInitializer;
    if (bias !== undefined) plugin('initializer', `${path}.biasInitializer`, bias);
    if (type === 'dense') {
      c.boolean(`${path}.residual`, layer.residual);
      if (layer.residual === true && width !== undefined && units !== undefined && width !== units) {
        c.add(
          `${path}.residual`,
          'Incompatible',
          `needs the input width (${width}) to equal units (${units}).`,
          'Give this layer the width of the layer before it, or drop residual.',
        );
      }
      if (width !== undefined && units !== undefined) parameters += (width + 1) * units;
    } else {
      if (i !== 0)
        c.add(
          `${path}.type`,
          'Incompatible',
          'a recurrent layer must be the first layer (it reads the whole sequence).',
        );
      if (layer.recurrentInitializer !== undefined)
        plugin('initializer', `${path}.recurrentInitializer`, layer.recurrentInitializer);
      c.integer(
        `${path}.truncate`,
        layer.truncate,
        1,
        LIMITS.truncate,
        'the number of steps to backpropagate through',
        false,
      );
      if (shape && units !== undefined) parameters += (shape.features + units + 1) * units;
    }
    width = units;
  });
  if (parameters > LIMITS.parameters) {
    c.add(
      'model.layers',
      'OutOfRange',
      `has ${parameters} parameters; the limit is ${LIMITS.parameters}.`,
      'Use fewer or narrower layers.',
    );
  }

  // ---- train ----
  const train = c.object(
    'train',
    root.train,
    [
      'loss',
      'optimizer',
      'batchSize',
      'epochs',
      'steps',
      'testFraction',
      'shuffle',
      'regularizers',
      'clipping',
      'checks',
    ],
    '{ "loss": "mse", "optimizer": "adam", "batchSize": 32 }',
  );
  const loss = train ? c.oneOf('train.loss', train.loss, LOSS_IDS, true) : undefined;
  if (train) {
    if (train.optimizer === undefined)
      c.add('train.optimizer', 'Required', 'is required, e.g. ["sgd", { "lr": 0.01 }].');
    else {
      const opt = c.tableRef('train.optimizer', 'optimizer', train.optimizer, OPTIMIZERS as never);
      if (opt?.options.nesterov === true && typeof opt.options.dampening === 'number' && opt.options.dampening > 0) {
        c.add(
          'train.optimizer[1].dampening',
          'Incompatible',
          'must be 0 with nesterov: true (PyTorch refuses the pair as well).',
          'Drop dampening or set nesterov: false.',
        );
      }
    }
    const batch = c.integer('train.batchSize', train.batchSize, 1, LIMITS.batchSize, 'the rows per optimizer step');
    c.integer('train.epochs', train.epochs, 1, LIMITS.epochs, 'the passes over the training data', false);
    c.integer('train.steps', train.steps, 0, LIMITS.steps, 'the optimizer steps to take', false);
    const fraction = c.number('train.testFraction', train.testFraction, 0, 0.9, 'the held-out fraction, e.g. 0.2');
    c.boolean('train.shuffle', train.shuffle);
    c.oneOf('train.checks', train.checks, ['strict', 'off'] as const, false);
    pluginList('regularizer', 'train.regularizers', train.regularizers);
    pluginList('clipping', 'train.clipping', train.clipping);
    if (batch !== undefined && shape?.rows !== undefined) {
      const defaultFraction = refId(root.data) === 'gaussian' ? 0 : 0.2;
      const trainRows = shape.rows - Math.round(shape.rows * (fraction ?? defaultFraction));
      if (batch > trainRows) {
        c.add(
          'train.batchSize',
          'Incompatible',
          `is ${batch} but only ${trainRows} rows are left for training.`,
          'Lower batchSize or generate more samples.',
        );
      }
    }
  }
  pluginList('probe', 'probes', root.probes);

  // ---- model against data and loss ----
  if (shape && width !== undefined && width !== shape.outputs) {
    c.add(
      `model.layers[${(layers?.length ?? 1) - 1}]`,
      'Incompatible',
      `outputs ${width} values but the data has ${shape.outputs} target${shape.outputs === 1 ? '' : 's'} per row.`,
      `Make the last layer a dense layer with units: ${shape.outputs}.`,
    );
  }
  if (shape && loss) {
    const fits = {
      regression: ['mse', 'mse-sum'],
      binary: ['bce', 'mse', 'mse-sum'],
      multiclass: ['softmax-ce', 'mse', 'mse-sum'],
    }[shape.task];
    if (!fits.includes(loss)) {
      c.add(
        'train.loss',
        'Incompatible',
        `"${loss}" does not fit ${shape.task} data.`,
        `Use ${fits.map((f) => `"${f}"`).join(' or ')}.`,
      );
    }
    const last = refId(lastActivation);
    const lastId = typeof last === 'string' ? (registry.get('activation', last)?.meta.id ?? last) : undefined;
    if ((loss === 'bce' || loss === 'softmax-ce') && lastId !== undefined && lastId !== 'linear') {
      c.add(
        `model.layers[${(layers?.length ?? 1) - 1}].activation`,
        'Incompatible',
        `must be "linear": "${loss}" reads logits and applies the ${loss === 'bce' ? 'sigmoid' : 'softmax'} itself, stably.`,
      );
    }
  }
  // Only a spec valid otherwise has sizes to estimate from.
  if (!c.issues.length && shape) c.issues.push(...memoryIssues(root as unknown as ExperimentSpec, shape));
  return c.issues;
}
