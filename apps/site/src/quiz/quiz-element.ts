/**
 * <quiz-question>: one question of a page, driven by @gradlab/quiz's pure state machine. The element
 * picks the learner's variant from their seed, builds native inputs (inputs.ts), grades on "Check"
 * (never on selection or arrow keys), reveals hints one at a time, offers retry, reset and the
 * solution, announces feedback in a live region, and saves progress after every action. Predict
 * questions lock the prediction, then run the question's configuration in the page's lab worker and
 * grade against that live number; goal questions run the learner's own settings and grade the engine
 * state. Test hooks: data-status, data-best, data-variant, data-key (build-time key), data-actual.
 */
import {
  chooseVariant,
  fixedByRerun,
  formatNumber,
  fromRecord,
  type Instantiated,
  type Observation,
  type QuestionState,
  type QuizAction,
  reduce,
  toRecord,
  viewQuestion,
} from '@gradlab/quiz';
import { labClient } from '../lab/client.ts';
import type { ProbeResult, RnnTimeResult, Setting, TrainResult } from '../lab/protocol.ts';
import { buildInputs, h, type Inputs, setLocked } from './inputs.ts';
import type { QuestionData, QuizJob } from './load.ts';
import { METRIC_LABELS, metricsOf } from './metrics.ts';
import { announceChange, progressStore, variantSeed } from './progress-client.ts';

const STATUS_TEXT = { correct: 'Correct.', partial: 'Partly right', wrong: 'Not right yet.', unanswered: '' } as const;

/** The buttons and output regions of a question. */
function buttonsAndRegions(q: Instantiated) {
  const b = (cls: string, text: string, type: 'button' | 'submit' = 'button') =>
    h('button', { type, class: cls }, text);
  return {
    check: b('quiz-check', 'Check', 'submit'),
    commit: b('quiz-commit', 'Lock in my prediction', 'submit'),
    run: b('quiz-run', q.type === 'goal' ? 'Run my configuration' : fixedByRerun(q) ? 'Run my fix' : 'Run it'),
    hint: b('quiz-hint', 'Hint'),
    retry: b('quiz-retry', 'Try again'),
    solution: b('quiz-solution', 'Show solution'),
    reset: b('quiz-reset', 'Reset'),
    hints: h('ol', { class: 'quiz-hints', 'aria-live': 'polite' }),
    feedback: h('div', { class: 'quiz-feedback', role: 'status', 'aria-live': 'polite' }),
    explanation: h('div', { class: 'quiz-explanation' }),
    answer: h('div', { class: 'quiz-answer' }),
  };
}

/** After answering a re-run diagnose question: the measured label and what `gradlab doctor` tried. */
function doctorFixes(r: NonNullable<QuestionData['rerun']>): HTMLElement[] {
  const setting = (c: Readonly<Record<string, number | string>>) =>
    Object.entries(c)
      .map(([k, v]) => `${k} = ${v}`)
      .join(', ');
  return [
    h('p', {}, h('strong', {}, 'Measured: '), r.measured, '.'),
    h('p', {}, h('strong', {}, 'What gradlab doctor tried'), ' (same seed; ', h('code', {}, r.doctorCommand), '):'),
    h(
      'ul',
      { class: 'quiz-doctor' },
      ...r.fixes.map((f) =>
        h(
          'li',
          {},
          h('code', {}, f.change),
          ` (for ${f.finding}): doctor ${f.cleared ? 'cleared it' : 'did not clear it'}; `,
          f.controls === null
            ? 'not a change these controls can make.'
            : `${setting(f.controls)} ${f.passes ? 'passes' : 'does not pass'} this question's check.`,
        ),
      ),
    ),
  ];
}

class QuizQuestion extends HTMLElement {
  #data!: QuestionData;
  #q!: Instantiated;
  #page = '';
  #state!: QuestionState;
  #inputs!: Inputs;
  #el!: ReturnType<typeof buttonsAndRegions>;
  #running = false;

  connectedCallback() {
    this.#data = JSON.parse(this.querySelector('script.quiz-data')!.textContent!) as QuestionData;
    this.#page = this.dataset.page!;
    const variant = chooseVariant(
      { id: this.#data.id, variants: { list: this.#data.variants.map((v) => v.params) } },
      variantSeed(),
    );
    this.#q = this.#data.variants[variant];
    this.dataset.variant = String(variant);
    if (typeof this.#q.key === 'number') this.dataset.key = String(this.#q.key);
    this.#state = fromRecord(progressStore().data.pages[this.#page]?.[this.#data.id]);
    this.#build();
    this.#inputs.write(this.#state.draft);
    this.#orderAsShown();
    this.#update();
    this.dataset.ready = 'true';
  }

  #build() {
    const q = this.#q;
    const uid = `quiz-${this.#data.id}`;
    const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
    this.#inputs = buildInputs(uid, q, this.#data, (s) => (announcer.textContent = s));
    this.#el = buttonsAndRegions(q);
    const legend = h('legend', {}, h('span', { class: 'quiz-number' }, `Question ${this.dataset.number}. `), q.prompt);
    const fieldset = h('fieldset', {}, legend, this.#inputs.root);
    const actions = h('div', { class: 'quiz-actions' });
    if (q.type === 'predict') actions.append(this.#el.commit, this.#el.run);
    else if (q.type === 'goal' || fixedByRerun(q)) actions.append(this.#el.run);
    else actions.append(this.#el.check);
    actions.append(this.#el.hint, this.#el.retry, this.#el.solution, this.#el.reset);
    const form = h(
      'form',
      { class: 'quiz-form', novalidate: true },
      fieldset,
      actions,
      this.#el.hints,
      this.#el.feedback,
      this.#el.explanation,
      this.#el.answer,
      announcer,
    );
    this.querySelector('.quiz-static')?.remove();
    this.append(form);

    form.addEventListener('input', () => this.#edit());
    form.addEventListener('change', () => this.#edit());
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#edit();
      if (fixedByRerun(q)) void this.#run();
      else this.#act({ type: q.type === 'predict' ? 'commit' : 'submit' });
    });
    this.#el.run.addEventListener('click', () => void this.#run());
    this.#el.hint.addEventListener('click', () => this.#act({ type: 'hint' }));
    this.#el.retry.addEventListener('click', () => {
      this.#act({ type: 'retry' });
      this.#inputs.root.querySelector<HTMLElement>('input, select, button')?.focus();
    });
    this.#el.solution.addEventListener('click', () => this.#act({ type: 'show-solution' }));
    this.#el.reset.addEventListener('click', () => {
      this.#act({ type: 'reset' });
      this.#inputs.write(undefined);
      this.#orderAsShown();
      this.#update();
    });
  }

  /** The order as shown is already an answer: it can be checked without moving anything. */
  #orderAsShown() {
    if (!this.#state.draft && this.#q.type === 'ordering')
      this.#state = reduce(this.#q, this.#state, { type: 'edit', response: this.#inputs.read()! });
  }

  #edit() {
    const r = this.#inputs.read();
    if (r && !viewQuestion(this.#q, this.#state).locked) this.#act({ type: 'edit', response: r }, false);
  }

  #act(action: QuizAction, announce = true) {
    const next = reduce(this.#q, this.#state, action);
    if (next === this.#state) return;
    this.#state = next;
    progressStore().record(this.#page, this.#data.id, toRecord(next));
    if (announce) announceChange();
    this.#update();
  }

  async #run() {
    if (this.#running) return;
    const q = this.#q;
    let job: QuizJob;
    let setting: Setting;
    if (q.type === 'predict') {
      if (!viewQuestion(q, this.#state).canRun) return;
      const { job: j = 'probe', ...rest } = q.run as Setting & { job?: QuizJob };
      job = j as QuizJob;
      setting = rest;
    } else {
      if (fixedByRerun(q) && !viewQuestion(q, this.#state).canRun) {
        this.#act({ type: 'observe', observation: {} }); // sets "Choose what is wrong first."
        return;
      }
      job = this.#data.lab!.job;
      setting = this.#inputs.readSetting!();
    }
    this.#running = true;
    this.dataset.running = 'true';
    this.#el.feedback.replaceChildren(h('p', {}, 'Running in your browser…'));
    this.#update();
    const outcome =
      job === 'train'
        ? await labClient().train(setting, () => undefined).done
        : await labClient().run(`quiz-${this.#data.id}`, job, setting);
    this.#running = false;
    delete this.dataset.running;
    if (outcome.status !== 'ok') {
      this.#el.feedback.replaceChildren(
        h(
          'p',
          { class: 'quiz-invalid' },
          outcome.status === 'error' ? `The run failed: ${outcome.message}` : 'The run was replaced by a newer one.',
        ),
      );
      this.#update(false);
      return;
    }
    const metrics = metricsOf(outcome.result as ProbeResult | TrainResult | RnnTimeResult, setting);
    let observation: Observation;
    if (q.type === 'predict') {
      const actual = metrics[q.metric];
      observation = { actual: typeof actual === 'number' ? actual : Number.NaN };
      this.dataset.actual = String(observation.actual);
    } else observation = { state: metrics };
    this.#act({ type: 'observe', observation });
  }

  #update(writeFeedback = true) {
    const v = viewQuestion(this.#q, this.#state);
    const isGoal = this.#q.type === 'goal';
    this.dataset.status = v.status;
    this.dataset.best = String(v.best);
    setLocked(this.#inputs.root, isGoal ? this.#running : v.locked || this.#running);
    this.#el.check.hidden = v.locked;
    this.#el.check.disabled = !v.canSubmit;
    this.#el.commit.hidden = v.locked;
    this.#el.commit.disabled = !v.canCommit;
    this.#el.run.disabled = this.#running || !v.canRun;
    this.#el.hint.hidden = !(this.#q.hints?.length ?? 0);
    this.#el.hint.disabled = v.hintsLeft === 0;
    this.#el.hint.textContent = v.hintsLeft ? `Hint (${v.hintsLeft} left)` : 'No more hints';
    this.#el.retry.hidden = !v.canRetry || isGoal;
    this.#el.solution.disabled = Boolean(v.solution);
    this.#el.hints.replaceChildren(...v.hints.map((t) => h('li', {}, t)));
    if (writeFeedback) {
      const lines: HTMLElement[] = [];
      if (v.invalid) lines.push(h('p', { class: 'quiz-invalid' }, v.invalid));
      else if (v.result) {
        const pct = Math.round(v.result.score * 100);
        lines.push(
          h(
            'p',
            { class: `quiz-status quiz-${v.status}` },
            v.status === 'partial' ? `Partly right: ${pct}%.` : STATUS_TEXT[v.status],
          ),
        );
        for (const f of v.result.feedback) lines.push(h('p', { class: `quiz-fb quiz-fb-${f.tone}` }, f.text));
        if (this.#q.type === 'goal' || fixedByRerun(this.#q)) {
          const used = Object.keys(METRIC_LABELS).filter((m) => lines.some((l) => l.textContent?.includes(m)));
          if (used.length)
            lines.push(h('p', { class: 'quiz-help' }, used.map((m) => `${m}: ${METRIC_LABELS[m]}`).join('; ')));
        }
      } else if (this.#state.committed) lines.push(h('p', {}, 'Prediction locked. Now run it.'));
      if (v.best > 0 && v.status !== 'correct')
        lines.push(h('p', { class: 'quiz-help' }, `Best so far: ${Math.round(v.best * 100)}%.`));
      this.#el.feedback.replaceChildren(...lines);
    }
    this.#el.explanation.replaceChildren(
      ...(v.explanation ? [h('p', {}, h('strong', {}, 'Why: '), v.explanation)] : []),
      ...(this.#data.rerun && (v.result || v.solution) ? doctorFixes(this.#data.rerun) : []),
    );
    this.#el.answer.replaceChildren(
      ...(v.solution
        ? [
            h('p', {}, h('strong', {}, 'Solution: '), v.solution.text),
            ...(v.best < 1 && this.#state.solutionShown
              ? [h('p', { class: 'quiz-help' }, 'Answers after this do not change your score.')]
              : []),
          ]
        : []),
    );
    if (this.#q.type === 'predict' && this.dataset.actual && v.result)
      this.#el.answer.prepend(
        h(
          'p',
          { class: 'quiz-help' },
          `Computed when this page was built: ${formatNumber(Number(this.dataset.key))}; your browser: ${formatNumber(Number(this.dataset.actual))}.`,
        ),
      );
  }
}

customElements.define('quiz-question', QuizQuestion);
