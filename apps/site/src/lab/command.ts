/** The terminal command that reproduces a widget's numbers, and the spec it downloads. */
import { type InitOptions, initFlag } from './init-options.ts';
import type { JobKind, Setting } from './protocol.ts';

/** `gradlab probe` flag ← setting key (probe-settings.ts in @gradlab/cli). */
const FLAGS: readonly (readonly [string, string])[] = [
  ['activation', 'activation'],
  ['initializer', 'init'],
  ['depth', 'depth'],
  ['width', 'width'],
  ['batch', 'batch'],
  ['seed', 'seed'],
  ['gain', 'gain'],
  ['biasInit', 'bias'],
  ['alpha', 'alpha'],
  ['steps', 'steps'],
  ['optimizer', 'optimizer'],
  ['lr', 'lr'],
];

/** `gradlab gradcheck` flag ← setting key: the network's flags, the step h and the precision (gradcheck-job.ts). */
const GRADCHECK_FLAGS: readonly (readonly [string, string])[] = [
  ...FLAGS.filter(([k]) => k !== 'steps' && k !== 'optimizer' && k !== 'lr'),
  ['h', 'h'],
  ['precision', 'precision'],
];

/** The spec file of a two-phase run's second phase: `revive.spec.json` → `revive-phase2.spec.json`. */
export const phase2SpecFile = (specFile: string) => specFile.replace(/\.spec\.json$/, '-phase2.spec.json');

/** A setting that trains in two phases (train-phases.ts: `reviveAt` of 0 or none is one phase). */
export const isTwoPhase = (s: Setting) => typeof s.reviveAt === 'number' && s.reviveAt > 0;

/**
 * What the command prints of a figure it does not print in full, said under the command so that a
 * learner knows which number to compare. The clip job applies the four clipping rules to the first
 * step's raw gradient (clip-job.ts); `gradlab probe` prints that gradient's norm, not the cosines.
 */
export const REPRODUCE_SCOPE: Partial<Record<JobKind, string>> = {
  histogram:
    'It prints each layer’s saturation % and, with --json, its pre-activation std (preactivationStd); the histogram’s bin counts are not printed.',
  clip: 'It prints the raw gradient’s norm as “global ‖∇L‖”; the cosines apply each clipping rule to that gradient, and gradlab does not print them.',
};

/**
 * The command cut into the pieces a line may break between: each `--flag value` stays one piece,
 * as does every other word. Shown as inline blocks, a 360 px line breaks between them, not after the
 * hyphens of `--width`; joined with single spaces they are the command again, as a copy gives it.
 */
export function commandPieces(command: string): string[] {
  const pieces: string[] = [];
  for (const word of command.split(' ')) {
    const last = pieces.at(-1);
    if (last?.startsWith('--') && !last.includes(' ') && !word.startsWith('--') && word !== '&&')
      pieces[pieces.length - 1] = `${last} ${word}`;
    else pieces.push(word);
  }
  return pieces;
}

/** `initOptions` (init-options.ts): which `init…` settings each initializer takes, for `--init id:option=value`. */
export function reproduceCommand(job: JobKind, s: Setting, specFile: string, initOptions?: InitOptions): string {
  // Two phases: phase 1 writes its model, phase 2 starts from it (a fresh optimizer, batches from step 0,
  // as train-job.ts does; decision 0035), so the two runs' losses are the widget's bit for bit.
  if (job === 'train' && isTwoPhase(s)) {
    const dir = `runs/${specFile.replace(/\.spec\.json$/, '')}`;
    return `gradlab run ${specFile} --out ${dir} && gradlab run ${phase2SpecFile(specFile)} --weights ${dir}/model.json`;
  }
  if (job === 'train' || job === 'playground') return `gradlab run ${specFile}`;
  // The per-time-step norms land in runs/<id>/probes/grad-norms.json (history[0].timeDeltaNorms).
  if (job === 'rnn-time') return `gradlab run ${specFile} --out runs/${specFile.replace(/\.spec\.json$/, '')}`;
  // The sanity loss: the loss at initialization (one step at learning rate 0) of the spec.
  if (job === 'sanity') return `gradlab run ${specFile}`;
  const value = (k: string) => (k === 'initializer' && initOptions ? initFlag(s, initOptions) : s[k]);
  // The gradient check is at initialization: no training flags; its step and precision instead.
  const flagsOf = job === 'gradcheck' ? GRADCHECK_FLAGS : FLAGS;
  const flags = flagsOf.filter(([k]) => s[k] !== undefined).map(([k, f]) => `--${f} ${value(k)}`);
  return `gradlab ${job === 'doctor' ? 'doctor' : job === 'gradcheck' ? 'gradcheck' : 'probe'} ${flags.join(' ')}`;
}
