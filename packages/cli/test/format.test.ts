import { describe, expect, it } from 'vitest';
import { parseCommandLine, parseInteger, parseNumber, splitList } from '../src/args.ts';
import { parseCsvDataset } from '../src/data-csv.ts';
import { CliError } from '../src/errors.ts';
import { blocks, describeLogScale, logBar, logScale, progressBar } from '../src/format/bars.ts';
import { formatDuration, formatNumber, formatPercent } from '../src/format/numbers.ts';
import { createProgress } from '../src/format/progress.ts';
import { historyReportToCsv } from '../src/format/report-csv.ts';
import { renderTable, toCsv } from '../src/format/table.ts';
import { main } from '../src/main.ts';
import { colorEnabled, visibleLength } from '../src/term.ts';

describe('numbers', () => {
  it('formats compactly, with exponents outside [1e-3, 1e5)', () => {
    expect([0, 1, 0.5, 0.012345, 123.456, 1e5, 4.333e-5, -2.5e-12].map((v) => formatNumber(v))).toEqual([
      '0',
      '1',
      '0.5',
      '0.0123',
      '123',
      '1.00e5',
      '4.33e-5',
      '-2.50e-12',
    ]);
    expect([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].map((v) => formatNumber(v))).toEqual([
      'NaN',
      'Infinity',
      '-Infinity',
    ]);
    expect(formatNumber(0.58889528, 4)).toBe('0.5889');
    expect(formatPercent(0.4817)).toBe('48.2');
    expect([3.25, 42.4, 200, 4000].map(formatDuration)).toEqual(['3.3 s', '42 s', '3 min 20 s', '1 h 06 min']);
  });
});

describe('bars', () => {
  it('draws eighth blocks', () => {
    expect(blocks(0)).toBe('');
    expect(blocks(2.5)).toBe('██▌');
    expect(progressBar(0.5, 8)).toBe('[████    ]');
  });

  it('picks whole decades and a whole number of cells per decade', () => {
    const scale = logScale([2e-5, 3e-3, 0.5]);
    expect(scale).toEqual({ lo: -5, hi: 0, width: 20 });
    expect(logBar(1e-5, scale)).toBe('');
    expect(logBar(1e-3, scale)).toBe('█'.repeat(8));
    expect(logBar(1, scale)).toBe('█'.repeat(20));
    expect(logBar(0, scale)).toBe('');
    expect(logBar(Number.NaN, scale)).toContain('NaN');
    expect(describeLogScale(scale, '‖δ‖')).toBe(
      'bar: ‖δ‖ on a log scale, empty = 1e-5, full = 1e0 (20 cells, 4 cells per decade)',
    );
    // 60 decades: several decades per cell.
    const wide = logScale([1e-50, 1e10]);
    expect(wide.width).toBeLessThanOrEqual(24);
    expect((wide.hi - wide.lo) % wide.width).toBe(0);
    expect(describeLogScale(wide, 'x')).toMatch(/1 cell per \d+ decades/);
  });
});

describe('tables and CSV', () => {
  it('aligns columns by visible width, ignoring colour codes', () => {
    const text = renderTable(
      [{ header: 'id' }, { header: 'value', align: 'right' }],
      [
        ['\x1b[1mrelu\x1b[22m', '1'],
        ['sigmoid', '0.25'],
      ],
    );
    expect(text.split('\n').map(visibleLength)).toEqual([14, 14, 14, 14]);
    expect(text).toContain('sigmoid   0.25');
  });

  it('quotes CSV fields that need it', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"']])).toBe('a,b\n"x,y","say ""hi"""\n');
  });

  it('writes a probe history in long form', () => {
    const csv = historyReportToCsv({
      layers: [
        { index: 0, activation: 'relu' },
        { index: 1, activation: 'linear' },
      ],
      history: [
        { step: 3, loss: 0.5, deltaNorm: [1, 2], moments: [{ aStd: 0.1 }, { aStd: null }], ratios: { delta: 0.5 } },
      ],
    });
    expect(csv).toBe(
      'step,layer,activation,loss,deltaNorm,moments.aStd,ratios.delta\n3,0,relu,0.5,1,0.1,0.5\n3,1,linear,0.5,2,,0.5\n',
    );
    expect(historyReportToCsv({ nothing: true })).toBeUndefined();
  });
});

describe('arguments', () => {
  const spec = {
    name: 'probe',
    summary: '',
    positionals: [],
    examples: ['gradlab probe'],
    flags: {
      depth: { type: 'string' as const, description: '', value: 'N' },
      json: { type: 'boolean' as const, description: '' },
    },
  };
  const usage = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(2);
      return (error as Error).message;
    }
    throw new Error('no error');
  };

  it('parses flags in both forms, and negative numbers as values', () => {
    expect(parseCommandLine(spec, ['--depth', '-3', '--json']).values).toEqual({ depth: '-3', json: true });
    expect(parseCommandLine(spec, ['--depth=7']).values).toEqual({ depth: '7' });
  });

  it('turns every mistake into one usage message', () => {
    expect(usage(() => parseCommandLine(spec, ['--dept', '3']))).toMatch(/Did you mean --depth\?/);
    expect(usage(() => parseCommandLine(spec, ['-x']))).toMatch(/^Unknown flag -x for gradlab probe\./);
    expect(usage(() => parseInteger('depth', '1e3', 1, 999))).toBe(
      '--depth must be a whole number between 1 and 999 (received "1e3").',
    );
    expect(parseNumber('lr', '1e-3', 0, 100)).toBe(0.001);
    expect(usage(() => parseNumber('lr', '', 0, 100))).toMatch(/received ""/);
    expect(splitList('activation', 'relu, tanh')).toEqual(['relu', 'tanh']);
  });
});

describe('CSV data', () => {
  it('reads features and targets and infers the task', () => {
    const d = parseCsvDataset('# comment\nx1,x2,y\n1,2,0\n3,4,1\n', 'd.csv');
    expect(d).toMatchObject({ rows: 2, features: 2, outputs: 1, steps: 1, task: 'binary' });
    expect(Array.from(d.x)).toEqual([1, 2, 3, 4]);
    expect(parseCsvDataset('a,y1,y2\n1,0,1\n2,1,0\n', 'd.csv').task).toBe('multiclass');
    expect(parseCsvDataset('a,y\n1,0.5\n', 'd.csv').task).toBe('regression');
  });

  it('names the line and column of a bad cell', () => {
    expect(() => parseCsvDataset('x,y\n1,2\n3,abc\n', 'd.csv')).toThrow(
      'd.csv line 3, column y: "abc" is not a finite number.',
    );
    expect(() => parseCsvDataset('x,y\n1,2,3\n', 'd.csv')).toThrow('d.csv line 2 has 3 fields; the header has 2.');
  });
});

describe('terminal', () => {
  it('colours only terminals, honouring NO_COLOR and FORCE_COLOR', () => {
    expect(colorEnabled({ write() {}, isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ write() {}, isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ write() {}, isTTY: false }, {})).toBe(false);
    expect(colorEnabled({ write() {}, isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled({ write() {}, isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled({ write() {}, isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });

  it('redraws one live progress line on a terminal and prints tenths elsewhere', () => {
    const progress = (mode: 'live' | 'lines') => {
      let out = '';
      const p = createProgress({ write: (t: string) => (out += t), isTTY: mode === 'live', columns: 100 }, mode);
      for (const step of [5, 10, 50, 100]) {
        p.update({
          step,
          totalSteps: 100,
          epoch: 0,
          loss: 0.5,
          elapsedMs: step * 10,
          stepsPerSecond: 100,
          etaSeconds: 1,
        });
      }
      p.done();
      return out;
    };
    const live = progress('live');
    expect(live.startsWith('\r[')).toBe(true);
    expect(live).toContain('step 50/100  loss 0.5  100 steps/s  1.0 s left');
    expect(live).not.toContain('\n');
    expect(progress('lines')).toBe(
      ['step 10/100', 'step 50/100', 'step 100/100'].map((s) => `${s}  loss 0.5  100 steps/s  1.0 s left\n`).join(''),
    );
  });
});

describe('main() in-process', () => {
  it('runs a command against given streams and returns the exit code', async () => {
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: {},
      cwd: '.',
    };
    expect(await main(['compare', '--activation', 'relu,tanh', '--depth', '3', '--width', '8', '--csv'], io)).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(await main(['probe', '--width', '0'], io)).toBe(2);
    expect(stderr).toBe('--width must be a whole number between 1 and 4096 (received "0").\n');
  });
});
