/**
 * The executable list of bad command lines (issue 8, docs/errors.md "Bad input"): every input a
 * new user was seen to type, the exit code it must give, and what the message must name: the
 * field (flag, file, spec path) and the fix. `verdict` says what changed: `fixed` (was unclear,
 * silent, crashing or hanging), `fine` (was already clear; kept so it stays so) or `accepted`
 * (valid input that was refused; exit 0 with a reason).
 * The CLI is spawned as a process, as a user runs it.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, createSession, saveModel } from '@gradlab/core';
import standard from '@gradlab/preset-standard';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, gradlab, STACK, TIMEOUT } from './helpers.ts';

const TMP = mkdtempSync(join(tmpdir(), 'gradlab-bad-'));
const at = (name: string) => join(TMP, name);
const fixture = (name: string) => join(FIXTURES, name);

beforeAll(() => {
  const xor = `{ "seed": 1, "data": ["xor", { "samples": 40 }], "model": { "defaults": { "activation": "relu", "initializer": "he" },
    "layers": [{ "type": "dense", "units": 4 }, { "type": "dense", "units": 1, "activation": "linear" }] },
    "train": { "loss": "bce", "optimizer": "adam", "batchSize": 8, "steps": 4 } }`;
  writeFileSync(at('bom.json'), `\uFEFF${xor}`);
  writeFileSync(at('semicolon.csv'), 'x1;x2;y\n0.1;0.2;1\n0.3;0.4;0\n');
  writeFileSync(at('tabs.csv'), 'x1\tx2\ty\n0.1\t0.2\t1\n');
  writeFileSync(at('a-file'), 'not a folder');
  mkdirSync(at('notes'));
  writeFileSync(at('notes/todo.txt'), 'my notes');
  // --weights: a model.json as `gradlab run --out` writes it, and broken copies of it.
  const spec = JSON.parse(xor);
  const registry = createRegistry().use(standard);
  const session = createSession(spec, { registry });
  const saved = saveModel(spec, session.trainData, session.model);
  writeFileSync(at('model.json'), JSON.stringify(saved));
  const wide = { ...spec, model: { ...spec.model, layers: [{ type: 'dense', units: 5 }, spec.model.layers[1]] } };
  writeFileSync(at('wide.json'), JSON.stringify(wide));
  const deeper = { ...spec, model: { ...spec.model, layers: [spec.model.layers[0], ...spec.model.layers] } };
  writeFileSync(at('deeper.json'), JSON.stringify(deeper));
  const nan = structuredClone(saved) as unknown as { tensors: Record<string, unknown[]> };
  nan.tensors['dense_1.W'][2] = 'NaN';
  writeFileSync(at('nan-model.json'), JSON.stringify(nan));
  writeFileSync(at('xor.json'), xor);
});
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

type Verdict = 'fixed' | 'fine' | 'accepted';
interface Case {
  readonly verdict: Verdict;
  readonly args: () => string[];
  readonly code: number;
  /** What the message must contain: the field (flag, file or spec path) … */
  readonly field?: RegExp;
  /** … and the fix (the flag to use, the allowed range, what to do). */
  readonly fix?: RegExp;
  /** Where the message goes; errors go to stderr. */
  readonly stream?: 'stdout' | 'stderr';
  /** The refusal must come before training starts (no "Training …" line). */
  readonly beforeTraining?: boolean;
}

const CASES: Record<string, Case> = {
  // ---- issue 8: were unclear, silent, crashing or hanging ----
  '--out names a file: refused before training': {
    verdict: 'fixed',
    args: () => ['run', fixture('xor.json'), '--out', at('a-file')],
    code: 1,
    field: /^--out ".*a-file" is a file/,
    fix: /--out needs a folder/,
    beforeTraining: true,
  },
  '--out inside a file: refused before training': {
    verdict: 'fixed',
    args: () => ['run', fixture('xor.json'), '--out', join(at('a-file'), 'run')],
    code: 1,
    field: /^--out ".*": ".*a-file" is a file/,
    fix: /no folder can be created inside it/,
    beforeTraining: true,
  },
  '--out /proc/x: no 100% CPU spin, the failing level is named': {
    verdict: 'fixed',
    args: () => ['run', fixture('xor.json'), '--out', '/proc/gradlab-out'],
    code: 1,
    field:
      /^--out "\/proc\/gradlab-out": cannot create the folder "\/proc\/gradlab-out" \(ENOENT\) although "\/proc" exists/,
    fix: /does not accept new folders .*choose a folder elsewhere/,
    beforeTraining: true,
  },
  '--out a non-empty folder of something else: refused': {
    verdict: 'fixed',
    args: () => ['run', fixture('xor.json'), '--out', at('notes')],
    code: 1,
    field: /^--out ".*notes" is a folder that is not empty and holds no earlier gradlab run/,
    fix: /Choose a new or empty folder/,
    beforeTraining: true,
  },
  'spec JSON with a UTF-8 byte-order mark: accepted, as CSV is': {
    verdict: 'accepted',
    args: () => ['validate', at('bom.json')],
    code: 0,
    field: /bom\.json is a valid experiment spec/,
    stream: 'stdout',
  },
  '--alpha 2 for leaky-relu: once, exit 2, the range from the plugin': {
    verdict: 'fixed',
    args: () => ['probe', '--activation', 'leaky-relu', '--alpha', '2'],
    code: 2,
    field: /^--alpha 2: Option `alpha` of activation "leaky-relu"/,
    fix: /must be a finite number between 0 and 1 \(received 2\)/,
  },
  '--alpha out of range in compare lists: once': {
    verdict: 'fixed',
    args: () => ['compare', '--activation', 'elu,leaky-relu', '--alpha', '1.5'],
    code: 2,
    field: /^--alpha 1\.5: Option `alpha` of activation "leaky-relu"/,
    fix: /between 0 and 1/,
  },
  '-d 5 suggests --depth (not --lr)': {
    verdict: 'fixed',
    args: () => ['probe', '-d', '5'],
    code: 2,
    field: /^Unknown flag -d for gradlab probe\./,
    fix: /Did you mean --depth\?/,
  },
  'semicolon CSV says "use commas"': {
    verdict: 'fixed',
    args: () => ['run', fixture('csv-spec.json'), '--data', at('semicolon.csv')],
    code: 1,
    field: /semicolon\.csv separates fields with ";"/,
    fix: /use commas/,
  },
  'tab-separated CSV says "use commas"': {
    verdict: 'fixed',
    args: () => ['validate', fixture('csv-spec.json'), '--data', at('tabs.csv')],
    code: 1,
    field: /tabs\.csv separates fields with tabs/,
    fix: /use commas/,
  },
  'spec without data (run) names --data': {
    verdict: 'fixed',
    args: () => ['run', fixture('csv-spec.json')],
    code: 1,
    field: /`data`: is missing/,
    fix: /"data": "xor", or pass a CSV file with --data FILE\.csv/,
  },
  'spec without data (validate) names --data': {
    verdict: 'fixed',
    args: () => ['validate', fixture('csv-spec.json')],
    code: 1,
    field: /✗ data is missing/,
    fix: /--data FILE\.csv/,
    stream: 'stdout',
  },
  'probe sizes inside the flag limits whose memory is over the limit (died after 36 s)': {
    verdict: 'fixed',
    args: () => ['probe', '--width', '4096', '--depth', '2', '--batch', '65536'],
    code: 2,
    field: /^--batch 65536: with these layers, training needs about \d+\.\d GiB of memory/,
    fix: /the limit is 4\.0 GiB/,
  },
  'probe stopped by a NaN loss: states the step, exits 1 like run': {
    verdict: 'fixed',
    args: () => ['probe', '--gain', '3', '--depth', '50', '--steps', '10', '--lr', '10'],
    code: 1,
    field: /stopped at step 1 of 10 sgd steps \(lr 10\)/,
    fix: /Stopped: Training stopped at step 1: the loss is NaN/,
    stream: 'stdout',
  },

  // ---- already clear: kept so they stay so ----
  'unknown command': {
    verdict: 'fine',
    args: () => ['lst'],
    code: 2,
    field: /^Unknown command "lst"\./,
    fix: /Did you mean "list"\?/,
  },
  'unknown long flag': {
    verdict: 'fine',
    args: () => ['probe', '--dpeth', '5'],
    code: 2,
    field: /^Unknown flag --dpeth/,
    fix: /Did you mean --depth\?/,
  },
  'flag without its value': {
    verdict: 'fine',
    args: () => ['run', 'a.json', '--out'],
    code: 2,
    field: /^--out needs a value/,
    fix: /e\.g\. --out DIR/,
  },
  'depth out of range': {
    verdict: 'fine',
    args: () => ['probe', '--depth', '0'],
    code: 2,
    field: /^--depth must be/,
    fix: /a whole number between 1 and 999/,
  },
  'unknown activation': {
    verdict: 'fine',
    args: () => ['probe', '--activation', 'rleu'],
    code: 2,
    field: /^Unknown activation "rleu"/,
    fix: /Did you mean "relu"/,
  },
  'missing spec file': {
    verdict: 'fine',
    args: () => ['run', at('missing.json')],
    code: 1,
    field: /^Cannot read spec ".*missing\.json"/,
    fix: /no such file/,
  },
  'spec that is not JSON': {
    verdict: 'fine',
    args: () => ['validate', fixture('points.csv')],
    code: 1,
    field: /points\.csv is not valid JSON/,
    fix: /Specs are plain JSON/,
  },
  'invalid spec: every problem with its path': {
    verdict: 'fine',
    args: () => ['run', fixture('bad-spec.json')],
    code: 1,
    field: /`model\.layers\[0\]\.activation`: Unknown activation "rleu"/,
    fix: /Did you mean `epochs`\?/,
  },
  'unknown probe in --probes': {
    verdict: 'fine',
    args: () => ['run', fixture('xor.json'), '--probes', 'grad-nroms'],
    code: 2,
    field: /^Unknown probe "grad-nroms"/,
    fix: /Did you mean "grad-norms"\?/,
  },
  // ---- run --weights (a second phase from an earlier run's model.json) ----
  '--weights: missing file': {
    verdict: 'fixed',
    args: () => ['run', at('xor.json'), '--weights', at('runs/missing/model.json')],
    code: 1,
    field: /^Cannot read --weights ".*missing\/model\.json": no such file/,
    fix: /Pass the model\.json that "gradlab run SPEC --out DIR" wrote/,
    beforeTraining: true,
  },
  '--weights: a spec instead of a model': {
    verdict: 'fixed',
    args: () => ['run', at('xor.json'), '--weights', at('xor.json')],
    code: 1,
    field: /^--weights ".*xor\.json" is not a saved model: it is an experiment spec/,
    fix: /Pass the model\.json/,
    beforeTraining: true,
  },
  '--weights: a folder without model.json': {
    verdict: 'fixed',
    args: () => ['run', at('xor.json'), '--weights', at('notes')],
    code: 1,
    field: /^Cannot read --weights ".*notes\/model\.json": no such file/,
    fix: /--out DIR/,
    beforeTraining: true,
  },
  '--weights: a layer of another size names the tensor': {
    verdict: 'fixed',
    args: () => ['run', at('wide.json'), '--weights', at('model.json')],
    code: 1,
    field: /^--weights ".*model\.json" does not fit .*wide\.json: tensor `dense_0\.W` has 8 values; the model needs 10/,
    fix: /same layers \(type, units and order\) and the same data shape/,
    beforeTraining: true,
  },
  '--weights: a model with fewer layers names the missing tensor': {
    verdict: 'fixed',
    args: () => ['run', at('deeper.json'), '--weights', at('model.json')],
    code: 1,
    field: /^--weights ".*model\.json" does not fit .*deeper\.json: the given model has no tensor `dense_2\.W`/,
    fix: /Check "model\.layers" and "data"/,
    beforeTraining: true,
  },
  '--weights: a diverged model (NaN) names the entry': {
    verdict: 'fixed',
    args: () => ['run', at('xor.json'), '--weights', at('nan-model.json')],
    code: 1,
    field: /^--weights ".*nan-model\.json" holds a value that is not a number: tensor `dense_1\.W`\[2\] is NaN/,
    fix: /continue from a run that ended with finite weights/,
    beforeTraining: true,
  },
  // ---- gradcheck ----
  'gradcheck --h 0: the step must be above 0': {
    verdict: 'fixed',
    args: () => ['gradcheck', '--h', '0'],
    code: 2,
    field: /^--h must be a number above 0 and at most 1 \(received "0"\)/,
    fix: /1e-5 suits float64/,
  },
  'gradcheck --h abc': {
    verdict: 'fixed',
    args: () => ['gradcheck', '--h', 'abc'],
    code: 2,
    field: /^--h must be a number above 0/,
    fix: /1e-5 suits float64/,
  },
  'gradcheck --precision float16': {
    verdict: 'fixed',
    args: () => ['gradcheck', '--precision', 'float16'],
    code: 2,
    field: /^--precision must be one of float64, float32 \(received "float16"\)/,
    fix: /Did you mean/,
  },
  'gradcheck --steps: the check is at initialization': {
    verdict: 'fixed',
    args: () => ['gradcheck', '--steps', '5'],
    code: 2,
    field: /^Unknown flag --steps for gradlab gradcheck/,
    fix: /gradlab gradcheck --help/,
  },
  'too many parameters': {
    verdict: 'fine',
    args: () => ['probe', '--depth', '999', '--width', '4096'],
    code: 2,
    field: /^--depth 999 with --width 4096 makes \d+ parameters/,
    fix: /the limit is 50000000\. Use fewer or narrower layers/,
  },
};

describe.concurrent('bad command lines: exit code, the field and the fix, no stack trace', { timeout: TIMEOUT }, () => {
  it.each(Object.entries(CASES))('%s', async (_name, c) => {
    const r = await gradlab(c.args());
    expect(r.code).toBe(c.code);
    const text = c.stream === 'stdout' ? r.stdout : r.stderr;
    if (c.field) expect(text).toMatch(c.field);
    if (c.fix) expect(text).toMatch(c.fix);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).not.toContain('Internal error');
    if (c.beforeTraining) expect(r.stderr).not.toContain('Training');
    // Usage errors are one line; the same error is never repeated (one per layer was the old --alpha).
    if (c.code === 2) expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('every case says what it checks', () => {
    for (const c of Object.values(CASES)) expect(c.field ?? c.fix).toBeDefined();
  });
});

describe('gradlab list --help shows [kind] once bracketed', { timeout: TIMEOUT }, () => {
  it('no doubled brackets in any usage line', async () => {
    for (const command of ['list', 'explain']) {
      const r = await gradlab([command, '--help']);
      expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^Usage: gradlab ${command} \\[\\w+\\] \\[flags\\]$`));
    }
  });
});

describe('--out reused for a second run', { timeout: TIMEOUT }, () => {
  it('removes the earlier run’s files and reports, keeps other files', async () => {
    const out = at('reused');
    expect((await gradlab(['run', fixture('xor.json'), '--out', out, '--quiet'])).code).toBe(0);
    const before = readdirSync(join(out, 'probes'));
    expect(before).toContain('dead-units.json');
    writeFileSync(join(out, 'README.txt'), 'kept');
    const r = await gradlab(['run', fixture('xor.json'), '--out', out, '--quiet', '--probes', 'grad-norms']);
    expect(r.code).toBe(0);
    expect(readdirSync(join(out, 'probes')).sort()).toEqual(['grad-norms.csv', 'grad-norms.json']);
    expect(readdirSync(out)).toContain('README.txt');
  });
});
