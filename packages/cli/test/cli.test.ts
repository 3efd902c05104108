import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, gradlab, STACK, TIMEOUT } from './helpers.ts';

const COMMANDS = ['probe', 'doctor', 'compare', 'run', 'validate', 'list', 'explain'];

describe.concurrent('help and version', { timeout: TIMEOUT }, () => {
  it('gradlab --help lists every command, the environment and the exit codes', async () => {
    const r = await gradlab(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(r.stdout).toContain('NO_COLOR');
    expect(r.stdout).toContain('GRADLAB_DEBUG');
    expect(r.stdout).toMatch(/Exit codes: 0 success, 1 failure/);
  });

  it('bare gradlab prints the help to stderr and exits 2', async () => {
    const r = await gradlab([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: gradlab <command>');
  });

  it.each(COMMANDS)('gradlab %s --help and -h print its usage, flags and examples', async (command) => {
    for (const flag of ['--help', '-h']) {
      const r = await gradlab([command, flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: gradlab ${command}`));
      expect(r.stdout).toContain('Flags:');
      expect(r.stdout).toContain('Examples:');
      expect(r.stdout).toContain('-h, --help');
    }
    expect((await gradlab(['help', command])).stdout).toMatch(new RegExp(`^Usage: gradlab ${command}`));
  });

  it('--version prints the package version', async () => {
    const r = await gradlab(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

/** Every bad input: exit code, one line on stderr, no stack trace, nothing on stdout. */
const BAD: [args: string[], code: number, message: RegExp][] = [
  [['lst'], 2, /^Unknown command "lst"\. Did you mean "list"\?/],
  [['--depth', '3'], 2, /^gradlab needs a command before flags/],
  [['run', '--dpth', '3', 'x.json'], 2, /^Unknown flag --dpth for gradlab run\./],
  [['run'], 2, /^gradlab run needs <spec\.json>/],
  [['run', 'a.json', 'b.json'], 2, /^Unexpected argument "b\.json" for gradlab run/],
  [['run', 'a.json', '--out'], 2, /^--out needs a value, e.g\. --out DIR\./],
  [['run', 'a.json', '--json=yes'], 2, /^--json is a switch and takes no value/],
  [['run', 'missing.json'], 1, /^Cannot read spec "missing\.json": no such file\./],
  [
    ['run', join(FIXTURES, 'xor.json'), '--probes', 'grad-nroms'],
    2,
    /^Unknown probe "grad-nroms"\. Did you mean "grad-norms"\?/,
  ],
  [
    ['run', join(FIXTURES, 'csv-spec.json'), '--data', join(FIXTURES, 'xor.json')],
    1,
    /xor\.json (has no target column|line \d+ has)/,
  ],
  [['validate', join(FIXTURES, 'points.csv')], 1, /points\.csv is not valid JSON: /],
  [['list', 'activatoins'], 2, /^Unknown kind "activatoins"\. Did you mean "activations"/],
  [['explain', 'VANISHING'], 2, /^Unknown code "VANISHING"\./],
  [['explain', 'UnknwnPlugin'], 2, /^Unknown code "UnknwnPlugin"\. Did you mean "UnknownPlugin"\?/],
];

describe.concurrent('bad input gives one clear line, a non-zero exit code and no stack trace', {
  timeout: TIMEOUT,
}, () => {
  it.each(BAD)('gradlab %j', async (args, code, message) => {
    const r = await gradlab(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stdout).toBe('');
    if (code === 2) expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('GRADLAB_DEBUG=1 adds the stack trace', async () => {
    const r = await gradlab(['run', 'missing.json'], { env: { GRADLAB_DEBUG: '1' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(STACK);
  });
});

describe.concurrent('colour', { timeout: TIMEOUT }, () => {
  const ESC = '\x1b[';
  it('no escape codes off a terminal', async () => {
    const r = await gradlab(['list', 'loss']);
    expect(r.stdout).not.toContain(ESC);
    expect((await gradlab(['lst'])).stderr).not.toContain(ESC);
  });
  it('FORCE_COLOR turns colour on off a terminal; NO_COLOR wins over it', async () => {
    expect((await gradlab(['list', 'loss'], { env: { FORCE_COLOR: '1' } })).stdout).toContain(ESC);
    const r = await gradlab(['list', 'loss'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(r.stdout).not.toContain(ESC);
  });
});

describe.concurrent('gradlab list', { timeout: TIMEOUT }, () => {
  it('lists every kind with options (type, default, range, description)', async () => {
    const r = await gradlab(['list']);
    expect(r.code).toBe(0);
    for (const heading of [
      'ACTIVATIONS',
      'INITIALIZERS',
      'CLIPPINGS',
      'REGULARIZERS',
      'PROBES',
      'OPTIMIZERS',
      'DATASETS',
      'LOSSES',
    ]) {
      expect(r.stdout).toContain(heading);
    }
    expect(r.stdout).toMatch(/leaky-relu +Leaky ReLU: /);
    expect(r.stdout).toContain('· alpha number, default 0.01, range [0, 1]: Slope for negative inputs.');
    expect(r.stdout).toMatch(/he +He \(Kaiming\): .*\(alias kaiming\)/);
    expect(r.stdout).toMatch(/linear +Linear \(identity\)/);
    expect(r.stdout).toContain('· lr number, default 0.001, range [0, 100]: Learning rate η.');
    expect(r.stdout).toMatch(/grad-norms +Gradient norms: /);
  });

  it('filters by kind (plural or singular) and prints JSON', async () => {
    const r = await gradlab(['list', 'initializers', '--json']);
    const entries = JSON.parse(r.stdout) as { kind: string; id: string; aliases: string[]; package: string }[];
    expect(new Set(entries.map((e) => e.kind))).toEqual(new Set(['initializer']));
    expect(entries.find((e) => e.id === 'glorot')).toMatchObject({
      aliases: ['xavier'],
      package: '@gradlab/initializer-glorot',
    });
    expect(entries.find((e) => e.id === 'zeros')).toMatchObject({ package: '@gradlab/core' });
  });
});

describe.concurrent('gradlab explain', { timeout: TIMEOUT }, () => {
  it('explains an error name from the catalog with an example and what to do', async () => {
    const r = await gradlab(['explain', 'UnknownPlugin']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^UnknownPlugin \(error\): Unknown plugin id\./);
    expect(r.stdout).toContain('Unknown activation "rleu". Did you mean "relu"');
    expect(r.stdout).toContain('What to do');
  });

  it(
    'explains a finding code: meaning, causes, fixes with the flags to try, and a command that shows it',
    async () => {
      const r = await gradlab(['explain', 'VANISHING_GRADIENTS']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^VANISHING_GRADIENTS \(finding\): Vanishing gradients/);
      for (const heading of ['What it means', 'Common causes', 'Fixes']) expect(r.stdout).toContain(heading);
      expect(r.stdout).toMatch(/gradlab probe\/doctor: .*--init he/);
      expect(r.stdout).toMatch(/in a spec: .*initializer 'he' on the hidden layers/);
      expect(r.stdout).toContain('See it: gradlab probe --activation sigmoid');
      // Fixes that made things worse are gone (constant init kills every unit; orthogonal makes a ReLU net vanish).
      expect((await gradlab(['explain', 'DEAD_UNITS'])).stdout).not.toContain('--init constant');
      const exploding = (await gradlab(['explain', 'EXPLODING_GRADIENTS'])).stdout;
      expect(exploding).not.toContain('orthogonal');
      expect(exploding).toContain('--gain 1');
      const index = (await gradlab(['explain'])).stdout;
      for (const code of ['LOSS_DIVERGING', 'SYMMETRY', 'VANISHING_THROUGH_TIME', 'NORMALIZATION_JUMP'])
        expect(index).toContain(code);
      expect((await gradlab(['explain', 'dead-units'])).stdout).toMatch(/^DEAD_UNITS \(finding\)/);
      const json = JSON.parse((await gradlab(['explain', 'SATURATION', '--json'])).stdout);
      expect(json).toMatchObject({ kind: 'finding', code: 'SATURATION', info: { title: expect.any(String) } });
    },
    2 * TIMEOUT,
  );

  it('accepts any case and dashes', async () => {
    expect((await gradlab(['explain', 'non-finite-loss'])).stdout).toMatch(/^NonFiniteLoss \(error\)/);
  });

  it('lists every code without an argument', async () => {
    const r = await gradlab(['explain']);
    expect(r.stdout).toContain('Errors');
    expect(r.stdout).toContain('ExperimentSpecError');
    expect(r.stdout).toContain('UnknownField');
  });
});
