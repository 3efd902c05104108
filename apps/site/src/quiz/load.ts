/**
 * Build time: reads every quiz file next to the pages (src/quizzes/<page>.json), validates it (a bad
 * file fails the build naming the file, question, field and fix), computes every key of every variant
 * with the engine (keys.ts), runs the dashboards of diagnose questions and verifies them: the probes
 * must raise the finding of the right pathology and none of the others, and the right fix, applied to
 * the same seeded run, must clear it while the wrong fixes do not.
 */
import {
  assertQuiz,
  type DiagnoseQuestion,
  type GoalQuestion,
  type Instantiated,
  instantiate,
  keyRequests,
  listVariants,
  type Question,
  type QuizFile,
} from '@gradlab/quiz';
import { buildRegistry, runAtBuild } from '../lab/build.ts';
import { buildControl, type ControlRequest } from '../lab/catalog.ts';
import type { Setting } from '../lab/protocol.ts';
import type { ControlDef } from '../lab/state.ts';
import { FIXES, PATHOLOGIES } from './configs.ts';
import { computeKey, KEY_FUNCTIONS } from './keys.ts';
import { METRICS } from './metrics.ts';
import { type RerunDiagnose, verifyRerun } from './rerun-diagnose.ts';

/** The lab jobs a quiz question runs (goal setups, re-run diagnose questions, predict runs). */
export type QuizJob = 'probe' | 'train' | 'rnn-time';

/** What a page's quiz element receives: every variant, instantiated, keys attached. */
export interface QuestionData {
  readonly id: string;
  readonly type: Question['type'];
  readonly points: number;
  readonly variants: readonly Instantiated[];
  /** goal, and diagnose with `fixed`: the lab job, its preset and the controls the learner may change. */
  readonly lab?: {
    readonly job: QuizJob;
    readonly preset: Setting;
    readonly controls: readonly ControlDef[];
  };
  /** diagnose: the broken run's per-layer numbers (hidden layers), computed at build time. */
  readonly dashboard?: {
    readonly deltaNorm: (number | null)[];
    readonly dead: (number | null)[];
    readonly saturation: (number | null)[];
    readonly findings: readonly string[];
  };
  /** diagnose with `fixed`: the measured label and `gradlab doctor`'s fixes, shown after answering. */
  readonly rerun?: RerunDiagnose;
}

export interface PageQuiz {
  readonly page: string;
  readonly title: string;
  readonly file: string;
  readonly questions: readonly QuestionData[];
}

const files = import.meta.glob<QuizFile>('../quizzes/*.json', { eager: true, import: 'default' });

function labOf(q: Pick<GoalQuestion, 'setup' | 'controls'>): QuestionData['lab'] {
  const { job = 'probe', ...preset } = q.setup as Setting & { job?: QuizJob };
  const controls = (q.controls ?? []).map((c) => buildControl(buildRegistry, { name: c } as ControlRequest));
  return { job, preset, controls };
}

function verifyDiagnose(file: string, q: DiagnoseQuestion): QuestionData['dashboard'] {
  const where = `${file}: question "${q.id}"`;
  const setting = q.run as Setting;
  const r = runAtBuild('probe', setting);
  const codeOf = (id: string) => {
    const code = PATHOLOGIES[id];
    if (!code)
      throw new Error(`${where}: option "${id}" is not a pathology (use ${Object.keys(PATHOLOGIES).join(', ')})`);
    return code;
  };
  for (const o of q.options) {
    const raised = r.findings.includes(codeOf(o.id));
    if (o.correct && !raised)
      throw new Error(
        `${where}: the run does not raise ${codeOf(o.id)}, so "${o.id}" cannot be the answer (findings: ${r.findings.join(', ') || 'none'})`,
      );
    if (!o.correct && raised)
      throw new Error(`${where}: the run also raises ${codeOf(o.id)}, so "${o.id}" is not wrong`);
  }
  const code = codeOf(q.options.find((o) => o.correct)!.id);
  for (const f of q.fixes ?? []) {
    const change = FIXES[f.id];
    if (!change) throw new Error(`${where}: fix "${f.id}" is not in configs.ts FIXES`);
    const fixed = runAtBuild('probe', { ...setting, ...change });
    const cleared = !fixed.findings.includes(code);
    if (f.correct && !cleared) throw new Error(`${where}: fix "${f.id}" does not clear ${code} on the same seed`);
    if (!f.correct && cleared) throw new Error(`${where}: fix "${f.id}" also clears ${code}, so it is not wrong`);
  }
  const hidden = <T>(xs: T[]) => xs.slice(0, -1);
  return {
    deltaNorm: hidden(r.deltaNorm),
    dead: hidden(r.dead),
    saturation: hidden(r.saturation),
    findings: r.findings,
  };
}

/** Validates one quiz file, computes its keys and verifies its diagnose questions (exported for tests). */
export function loadQuizFile(file: string, json: QuizFile): PageQuiz {
  assertQuiz(json, { file, metrics: METRICS, computes: KEY_FUNCTIONS, literalKeys: false });
  const questions = json.questions.map((q): QuestionData => {
    const requests = keyRequests(q);
    const variants = listVariants(q).map((_, v) =>
      instantiate(q, v, requests.length ? computeKey(requests[v], q, buildRegistry) : undefined),
    );
    return {
      id: q.id,
      type: q.type,
      points: q.points ?? 1,
      variants,
      ...(q.type === 'goal' ? { lab: labOf(q) } : {}),
      ...(q.type === 'diagnose' && !q.fixed ? { dashboard: verifyDiagnose(file, q) } : {}),
      ...(q.type === 'diagnose' && q.fixed
        ? {
            lab: labOf({ setup: q.run, controls: q.controls }),
            rerun: verifyRerun(`${file}: question "${q.id}"`, q, q.fixed, q.controls ?? [], q.id),
          }
        : {}),
    };
  });
  return { page: json.page, title: json.title ?? json.page, file, questions };
}

let cache: PageQuiz[] | undefined;

/** Every quiz of the site, validated and keyed (once per build). */
export function allQuizzes(): PageQuiz[] {
  cache ??= Object.entries(files)
    .map(([path, json]) => loadQuizFile(`apps/site/src/quizzes/${path.split('/').pop()}`, json))
    .sort((a, b) => a.page.localeCompare(b.page));
  return cache;
}

export function quizOf(page: string): PageQuiz {
  const q = allQuizzes().find((x) => x.page === page);
  if (!q) throw new Error(`no quiz file for page "${page}" in apps/site/src/quizzes/`);
  return q;
}
