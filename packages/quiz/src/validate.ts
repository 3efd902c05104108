import { createError } from '@gradlab/plugin-api';
import { QuizErrors, type QuizIssue } from './errors.ts';
import { PARTIAL_CREDIT_METHODS, QUESTION_TYPES, QUIZ_FORMAT, type QuizFile } from './types.ts';
import { Checker } from './validate-fields.ts';
import { listVariants, MAX_VARIANTS, parameterNames } from './variants.ts';

export interface AssertQuizOptions {
  /** Shown in every issue, e.g. `src/quizzes/relu.json`. */
  readonly file: string;
  /** Metric names predicates and predict questions may read; unknown names are errors when given. */
  readonly metrics?: readonly string[];
  /** Key functions the caller can compute; an unknown `key.compute` is an error when given. */
  readonly computes?: readonly string[];
  /** Allow literal keys (`key: { value }`); a site whose keys all come from its engine sets false. */
  readonly literalKeys?: boolean;
}

type Obj = Record<string, unknown>;

const BASE = ['id', 'type', 'prompt', 'hints', 'explanation', 'points', 'variants', 'tags'];
const FIELDS: Record<string, readonly string[]> = {
  single: ['options'],
  multiple: ['options', 'partialCredit'],
  numeric: ['key', 'tolerance', 'ranges', 'unit', 'percent'],
  ordering: ['items', 'key', 'partialCredit'],
  matching: ['prompts', 'choices', 'pairs', 'feedback'],
  predict: ['run', 'metric', 'key', 'input', 'tolerance', 'ranges', 'slider', 'bins'],
  goal: ['setup', 'controls', 'goal'],
  diagnose: ['run', 'options', 'fixes', 'fixed', 'controls'],
};

function checkOptions(c: Checker, field: string, value: unknown, correct: 'one' | 'some'): void {
  if (!c.array(field, value, 2, 'options')) return;
  const seen = new Set<string>();
  value.forEach((o, i) => {
    const f = `${field}[${i}]`;
    if (!c.isObject(f, o)) return;
    c.keys(f, o, ['id', 'label', 'correct', 'feedback']);
    if (c.id(`${f}.id`, o.id)) {
      if (seen.has(o.id)) c.add(`${f}.id`, `"${o.id}" is used twice`, 'give every option its own id');
      seen.add(o.id);
    }
    c.text(`${f}.label`, o.label);
    if (o.correct !== undefined && typeof o.correct !== 'boolean')
      c.expect(`${f}.correct`, o.correct, 'true or false', 'write true or false, without quotes');
    c.text(`${f}.feedback`, o.feedback, false);
  });
  const n = value.filter((o) => (o as Obj)?.correct === true).length;
  if (correct === 'one' && n !== 1)
    c.add(
      field,
      `needs exactly one option with "correct": true (has ${n})`,
      n ? 'use a multiple question, or mark one' : 'mark the right option',
    );
  if (correct === 'some' && n === 0) c.add(field, 'has no option with "correct": true', 'mark every right option');
}

function checkKey(c: Checker, q: Obj, kind: 'number' | 'order', o: AssertQuizOptions): void {
  const key = q.key;
  if (!c.isObject('key', key)) return;
  if ('compute' in key) {
    c.keys('key', key, ['compute', 'args']);
    if (c.text('key.compute', key.compute) && o.computes && !o.computes.includes(key.compute as string))
      c.add(
        'key.compute',
        `"${key.compute}" is not a key function of this site`,
        `use one of ${o.computes.join(', ')}`,
      );
    if (key.args !== undefined && c.isObject('key.args', key.args)) {
      for (const [name, v] of Object.entries(key.args))
        if (!['string', 'number', 'boolean'].includes(typeof v))
          c.expect(`key.args.${name}`, v, 'a string, number or boolean', 'pass plain values or "$param"');
    }
    return;
  }
  if (!('value' in key)) {
    c.add('key', 'needs `compute` (a key function) or `value`', 'write { "compute": "…", "args": { … } }');
    return;
  }
  c.keys('key', key, ['value']);
  if (o.literalKeys === false) {
    c.add('key.value', 'is typed by hand, and this site computes every key', 'replace it by { "compute": "…" }');
    return;
  }
  if (kind === 'number') c.number('key.value', key.value);
  else {
    const ids = Array.isArray(q.items) ? (q.items as Obj[]).map((it) => it?.id) : [];
    const v = key.value;
    const permutation =
      Array.isArray(v) && v.length === ids.length && new Set(v).size === v.length && v.every((id) => ids.includes(id));
    if (!permutation)
      c.add('key.value', 'must list every item id exactly once, in the right order', `use the ids ${ids.join(', ')}`);
  }
}

function checkTolerance(c: Checker, field: string, t: unknown): void {
  if (!c.isObject(field, t)) return;
  const forms = ['sigfigs', 'decdigits', 'decades'].filter((k) => k in t);
  const relabs = 'rel' in t || 'abs' in t;
  if (forms.length + (relabs ? 1 : 0) !== 1) {
    c.add(
      field,
      'must be one of { rel, abs }, { sigfigs }, { decdigits } or { decades }',
      'keep exactly one kind of tolerance',
    );
    return;
  }
  if (relabs) {
    c.keys(field, t, ['rel', 'abs']);
    if (t.rel !== undefined) c.number(`${field}.rel`, t.rel, { min: 0 });
    if (t.abs !== undefined) c.number(`${field}.abs`, t.abs, { min: 0 });
    if (!t.rel && !t.abs) c.add(field, 'accepts only the exact key', 'give rel (e.g. 0.01 for 1%) or abs');
    return;
  }
  const form = forms[0];
  c.keys(field, t, [form]);
  if (form === 'decades') c.number(`${field}.decades`, t.decades, { positive: true });
  else if (
    c.number(`${field}.${form}`, t[form], { integer: true, min: form === 'sigfigs' ? 1 : 0 }) &&
    (t[form] as number) > 15
  )
    c.add(`${field}.${form}`, 'is beyond float64 precision (15 digits)', 'use at most 15');
}

function checkRanges(c: Checker, value: unknown): void {
  if (value === undefined || !c.array('ranges', value, 1, 'ranges')) return;
  value.forEach((r, i) => {
    const f = `ranges[${i}]`;
    if (!c.isObject(f, r)) return;
    c.keys(f, r, ['decades', 'ratio', 'value', 'feedback']);
    const bounds = ['decades', 'ratio', 'value'].filter((k) => r[k] !== undefined);
    if (!bounds.length) c.add(f, 'has no bounds', 'give decades, ratio or value as [low, high]');
    for (const b of bounds) c.interval(`${f}.${b}`, r[b], true);
    c.text(`${f}.feedback`, r.feedback);
  });
}

function checkItems(c: Checker, field: string, value: unknown, min: number): string[] {
  if (!c.array(field, value, min, 'items')) return [];
  const ids: string[] = [];
  value.forEach((it, i) => {
    const f = `${field}[${i}]`;
    if (!c.isObject(f, it)) return;
    c.keys(f, it, ['id', 'label']);
    if (c.id(`${f}.id`, it.id)) {
      if (ids.includes(it.id)) c.add(`${f}.id`, `"${it.id}" is used twice`, 'give every item its own id');
      ids.push(it.id);
    }
    c.text(`${f}.label`, it.label);
  });
  return ids;
}

function checkVariants(c: Checker, q: Obj): string[] {
  const v = q.variants;
  if (v === undefined || !c.isObject('variants', v)) return [];
  const scalar = (x: unknown) => ['string', 'number', 'boolean'].includes(typeof x);
  let names: string[] = [];
  if ('params' in v) {
    c.keys('variants', v, ['params']);
    if (!c.isObject('variants.params', v.params)) return [];
    names = Object.keys(v.params);
    for (const [name, values] of Object.entries(v.params)) {
      if (c.array(`variants.params.${name}`, values, 1, 'values') && !values.every(scalar))
        c.add(`variants.params.${name}`, 'holds a value that is not a string, number or boolean', 'list plain values');
    }
  } else if ('list' in v) {
    c.keys('variants', v, ['list']);
    if (!c.array('variants.list', v.list, 1, 'parameter sets')) return [];
    names = Object.keys((v.list[0] as Obj) ?? {});
    v.list.forEach((p, i) => {
      if (!c.isObject(`variants.list[${i}]`, p)) return;
      if (Object.keys(p).sort().join() !== [...names].sort().join())
        c.add(
          `variants.list[${i}]`,
          `has parameters ${Object.keys(p).join(', ')}, not ${names.join(', ')}`,
          'give every set the same names',
        );
      if (!Object.values(p).every(scalar))
        c.add(`variants.list[${i}]`, 'holds a value that is not a string, number or boolean', 'list plain values');
    });
  } else c.add('variants', 'needs `params` or `list`', 'write { "params": { "depth": [5, 10] } }');
  if (!c.issues.some((i) => i.field.startsWith('variants'))) {
    const n = listVariants(q as never).length;
    if (n > MAX_VARIANTS)
      c.add('variants', `has ${n} combinations (at most ${MAX_VARIANTS})`, 'use fewer values or an explicit list');
  }
  return names;
}

function checkQuestion(c: Checker, q: Obj, o: AssertQuizOptions): void {
  if (!c.oneOf('type', q.type, QUESTION_TYPES)) return;
  c.keys('', q, [...BASE, ...FIELDS[q.type as string]]);
  c.text('prompt', q.prompt);
  if (q.hints !== undefined && c.array('hints', q.hints, 1, 'hints'))
    q.hints.forEach((h, i) => {
      c.text(`hints[${i}]`, h);
    });
  c.text('explanation', q.explanation, false);
  if (q.points !== undefined) c.number('points', q.points, { positive: true });
  if (q.tags !== undefined && c.array('tags', q.tags, 0, 'tags'))
    q.tags.forEach((t, i) => {
      c.text(`tags[${i}]`, t);
    });
  const params = checkVariants(c, q);
  const { variants: _v, ...rest } = q;
  for (const name of new Set(parameterNames(rest)))
    if (!params.includes(name))
      c.add(
        'variants',
        `the question uses {{${name}}} or $${name}, which no variant defines`,
        `add "${name}" to variants.params`,
      );
  switch (q.type) {
    case 'single':
      checkOptions(c, 'options', q.options, 'one');
      return;
    case 'multiple':
      checkOptions(c, 'options', q.options, 'some');
      if (q.partialCredit !== undefined) c.oneOf('partialCredit', q.partialCredit, PARTIAL_CREDIT_METHODS);
      return;
    case 'numeric':
      checkKey(c, q, 'number', o);
      checkTolerance(c, 'tolerance', q.tolerance);
      checkRanges(c, q.ranges);
      c.text('unit', q.unit, false);
      if (q.percent !== undefined && typeof q.percent !== 'boolean')
        c.expect('percent', q.percent, 'true or false', 'write true or false');
      return;
    case 'ordering':
      checkItems(c, 'items', q.items, 2);
      checkKey(c, q, 'order', o);
      if (q.partialCredit !== undefined) c.oneOf('partialCredit', q.partialCredit, ['kendall', 'off'] as const);
      return;
    case 'matching': {
      const prompts = checkItems(c, 'prompts', q.prompts, 2);
      const choices = checkItems(c, 'choices', q.choices, 2);
      if (c.isObject('pairs', q.pairs)) {
        for (const p of prompts)
          if (!(p in q.pairs)) c.add(`pairs.${p}`, 'is missing', `pair "${p}" with one of ${choices.join(', ')}`);
        for (const [p, ch] of Object.entries(q.pairs)) {
          if (!prompts.includes(p))
            c.add(`pairs.${p}`, `"${p}" is not a prompt id`, `use one of ${prompts.join(', ')}`);
          else if (!choices.includes(ch as string))
            c.add(`pairs.${p}`, `${JSON.stringify(ch)} is not a choice id`, `use one of ${choices.join(', ')}`);
        }
      }
      if (q.feedback !== undefined && c.isObject('feedback', q.feedback))
        for (const [p, byChoice] of Object.entries(q.feedback)) {
          if (!prompts.includes(p))
            c.add(`feedback.${p}`, `"${p}" is not a prompt id`, `use one of ${prompts.join(', ')}`);
          else if (c.isObject(`feedback.${p}`, byChoice))
            for (const [ch, text] of Object.entries(byChoice)) {
              if (!choices.includes(ch))
                c.add(`feedback.${p}.${ch}`, `"${ch}" is not a choice id`, `use one of ${choices.join(', ')}`);
              else c.text(`feedback.${p}.${ch}`, text);
            }
        }
      return;
    }
    case 'predict':
      c.isObject('run', q.run);
      c.metric('metric', q.metric, o.metrics);
      checkKey(c, q, 'number', o);
      if (!c.oneOf('input', q.input, ['number', 'log-slider', 'choice'] as const)) return;
      if (q.tolerance !== undefined) checkTolerance(c, 'tolerance', q.tolerance);
      checkRanges(c, q.ranges);
      if (q.input === 'log-slider') {
        if (q.slider === undefined) c.add('slider', 'is required for a log-slider', 'give the decades, e.g. [-12, 4]');
        else c.interval('slider', q.slider, false);
      }
      if (q.input === 'choice' && c.array('bins', q.bins, 2, 'bins')) {
        q.bins.forEach((b, i) => {
          if (!c.isObject(`bins[${i}]`, b)) return;
          c.keys(`bins[${i}]`, b, ['id', 'label', 'range']);
          c.id(`bins[${i}].id`, b.id);
          c.text(`bins[${i}].label`, b.label);
          c.interval(`bins[${i}].range`, b.range, true);
        });
      }
      return;
    case 'goal':
      c.isObject('setup', q.setup);
      if (q.controls !== undefined && c.array('controls', q.controls, 1, 'controls'))
        q.controls.forEach((x, i) => {
          c.text(`controls[${i}]`, x);
        });
      c.predicate('goal', q.goal, o.metrics);
      return;
    case 'diagnose':
      c.isObject('run', q.run);
      checkOptions(c, 'options', q.options, 'one');
      if (q.fixes !== undefined) checkOptions(c, 'fixes', q.fixes, 'one');
      if (q.fixed !== undefined) c.predicate('fixed', q.fixed, o.metrics);
      if (q.fixes !== undefined && q.fixed !== undefined)
        c.add(
          'fixed',
          'cannot be used together with `fixes`',
          'keep `fixed` (the learner re-runs a fix) or `fixes` (a choice)',
        );
      if (q.controls !== undefined) {
        if (q.fixed === undefined)
          c.add('controls', 'is only read with `fixed`', 'add a `fixed` predicate, or remove `controls`');
        if (c.array('controls', q.controls, 1, 'controls'))
          q.controls.forEach((x, i) => {
            c.text(`controls[${i}]`, x);
          });
      }
      return;
  }
}

/** Every problem of a quiz file, each with its file, question id, field and fix (empty when valid). */
export function validateQuiz(json: unknown, options: AssertQuizOptions): QuizIssue[] {
  const file = new Checker(options.file, undefined);
  if (!file.isObject('(file)', json)) return file.issues;
  file.keys('', json, ['format', 'page', 'title', 'questions']);
  if (json.format !== QUIZ_FORMAT)
    file.expect('format', json.format, `"${QUIZ_FORMAT}"`, `write "format": "${QUIZ_FORMAT}"`);
  file.id('page', json.page);
  file.text('title', json.title, false);
  if (!file.array('questions', json.questions, 1, 'questions')) return file.issues;
  const issues = [...file.issues];
  const seen = new Set<string>();
  json.questions.forEach((q, i) => {
    const id = (q as Obj)?.id;
    const label = typeof id === 'string' && id ? id : `#${i + 1}`;
    const c = new Checker(options.file, label);
    if (c.isObject('(question)', q)) {
      if (c.id('id', q.id)) {
        if (seen.has(q.id)) c.add('id', `"${q.id}" is used by an earlier question`, 'give every question its own id');
        seen.add(q.id);
      }
      checkQuestion(c, q, options);
    }
    issues.push(...c.issues);
  });
  return issues;
}

/**
 * Throws one `InvalidQuiz` error listing every problem of a quiz file (file, question id,
 * field, problem and fix per line), or narrows `json` to {@link QuizFile}. Run it at build time.
 */
export function assertQuiz(json: unknown, options: AssertQuizOptions): asserts json is QuizFile {
  const issues = validateQuiz(json, options);
  if (issues.length) throw createError(QuizErrors.InvalidQuiz, [options.file, issues]);
}
