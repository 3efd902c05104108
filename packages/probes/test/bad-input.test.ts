/**
 * The executable list of bad options to runProbe (issue 8, docs/errors.md "Bad input"): one
 * InvalidOptions error naming each bad option (never an internal spec path such as
 * `model.layers[3].initializer[1].std`), once, with the fix; or accepted on purpose.
 */
import type { GradlabError } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import { type CanonicalOptions, canonicalSpec, checkProbeOptions, runProbe, standardRegistry } from '../src/index.ts';
import { registry } from './helpers.ts';

interface Case {
  readonly verdict: 'fixed' | 'fine' | 'accepted';
  readonly options: unknown;
  /** The options named in the error, in order; empty for accepted options. */
  readonly named: readonly string[];
  /** The fix: the allowed range or the id to use. */
  readonly fix?: RegExp;
}

const CASES: Record<string, Case> = {
  'depth 0 (returned a report)': {
    verdict: 'fixed',
    options: { depth: 0 },
    named: ['depth'],
    fix: /whole number between 1 and 999/,
  },
  'gain −1 (answered with model.layers[i].initializer[1].std)': {
    verdict: 'fixed',
    options: { gain: -1 },
    named: ['gain'],
    fix: /finite number between 0 and 1000000/,
  },
  'width NaN (answered with data[1].features and 11 layer paths)': {
    verdict: 'fixed',
    options: { width: Number.NaN },
    named: ['width'],
    fix: /whole number between 1 and 4096.*received NaN/,
  },
  'alpha 2 for leaky-relu: once, with the plugin’s range (was one per layer)': {
    verdict: 'fixed',
    options: { activation: 'leaky-relu', alpha: 2 },
    named: ['alpha'],
    fix: /between 0 and 1 \(received 2\)/,
  },
  'alpha for an activation without one': {
    verdict: 'fixed',
    options: { alpha: 0.1 },
    named: ['alpha'],
    fix: /the activation has no alpha option: Unknown option `alpha` for activation "relu"/,
  },
  'sizes whose memory is over the limit (died after 36 s as an internal error)': {
    verdict: 'fixed',
    options: { width: 4096, depth: 2, batch: 65536 },
    named: ['batch'],
    fix: /needs about \d+\.\d GiB of memory .*the limit is 4\.0 GiB/,
  },
  'too many parameters': {
    verdict: 'fixed',
    options: { width: 4096, depth: 999 },
    named: ['width'],
    fix: /parameters; the limit is 50000000/,
  },
  'unknown option': { verdict: 'fixed', options: { dpeth: 3 }, named: ['dpeth'], fix: /Did you mean `depth`\?/ },
  'unknown optimizer': {
    verdict: 'fixed',
    options: { optimizer: 'adm' },
    named: ['optimizer'],
    fix: /one of sgd, momentum, adam/,
  },
  'negative learning rate': { verdict: 'fixed', options: { lr: -1 }, named: ['lr'], fix: /≥ 0/ },
  'gain with an initializer that declares no variance': {
    verdict: 'fixed',
    options: { gain: 2, initializer: 'identity' },
    named: ['gain'],
    fix: /zero-mean initializer that declares variance\(\); "identity" does not/,
  },
  'several problems: all listed, each once': {
    verdict: 'fixed',
    options: { depth: 0, gain: -1, seed: 1.5 },
    named: ['depth', 'seed', 'gain'],
  },
  'options that are not an object': { verdict: 'fixed', options: 7, named: ['(options)'], fix: /must be an object/ },
  'unknown activation': {
    verdict: 'fine',
    options: { activation: 'rleu' },
    named: ['activation'],
    fix: /Did you mean "relu"/,
  },
  'runProbe({}) without a registry: accepted, the standard preset is the default': {
    verdict: 'accepted',
    options: {},
    named: [],
  },
};

const named = (error: GradlabError) => [...error.message.matchAll(/^ {2}- `([^`]+)`/gm)].map((m) => m[1]);

describe('runProbe refuses bad options by name', () => {
  it.each(Object.entries(CASES))('%s', (_name, c) => {
    let caught: unknown;
    let report: unknown;
    try {
      report = runProbe(
        c.options as Partial<CanonicalOptions>,
        c.verdict === 'accepted' ? undefined : { registry: registry() },
      );
    } catch (e) {
      caught = e;
    }
    if (c.named.length === 0) {
      expect(caught).toBeUndefined();
      expect(report).toMatchObject({ schema: 'gradlab/probe-report@1' });
      return;
    }
    const error = caught as GradlabError;
    expect(error?.name).toBe('InvalidOptions');
    expect(named(error)).toEqual(c.named);
    expect(error.message).not.toMatch(/model\.layers|data\[1\]|train\./);
    if (c.fix) expect(error.format()).toMatch(c.fix);
  });

  it('runProbe() with no arguments probes the default setup', () => {
    expect(runProbe().setup).toMatchObject({ activation: 'relu', initializer: 'he', depth: 10 });
  });

  it('checkProbeOptions returns the issues for other runners to reuse', () => {
    const issues = checkProbeOptions({ depth: 0 }, standardRegistry(), (o) => canonicalSpec(o));
    expect(issues).toEqual([{ option: 'depth', message: expect.stringMatching(/^must be a whole number/) }]);
  });
});
