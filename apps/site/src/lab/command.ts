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

/** `initOptions` (init-options.ts): which `init…` settings each initializer takes, for `--init id:option=value`. */
export function reproduceCommand(job: JobKind, s: Setting, specFile: string, initOptions?: InitOptions): string {
  if (job === 'train' || job === 'playground') return `gradlab run ${specFile}`;
  // The per-time-step norms land in runs/<id>/probes/grad-norms.json (history[0].timeDeltaNorms).
  if (job === 'rnn-time') return `gradlab run ${specFile} --out runs/${specFile.replace(/\.spec\.json$/, '')}`;
  // The loss at initialization (one step at learning rate 0); the finite differences are the page's own.
  if (job === 'gradcheck' || job === 'sanity') return `gradlab run ${specFile}`;
  const value = (k: string) => (k === 'initializer' && initOptions ? initFlag(s, initOptions) : s[k]);
  const flags = FLAGS.filter(([k]) => s[k] !== undefined).map(([k, f]) => `--${f} ${value(k)}`);
  return `gradlab ${job === 'doctor' ? 'doctor' : 'probe'} ${flags.join(' ')}`;
}
