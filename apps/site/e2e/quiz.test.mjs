// The quizzes in Chromium: every question type on page 0 answered right and wrong (feedback, partial
// credit, score), the predict-then-run question graded against the worker's live number (equal to the
// build-time key and to Node), progress kept across a reload, corrupted storage set aside with a notice,
// export and import on the progress page, keyboard use without auto-submit, 360 px, axe, JavaScript off.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createJobs } from '../src/lab/jobs.ts';
import { createSiteRegistry } from '../src/lab/registry.ts';
import { CONFIGS } from '../src/quiz/configs.ts';
import { DIST, ROOT, start } from './harness.mjs';

const jobs = createJobs(createSiteRegistry());
const SEED = 7;
const PAGE = `/0-backprop-is-a-product/?quiz-seed=${SEED}`;
const KEY = 'gradlab:quiz-progress';
const sel = (id) => `quiz-question[data-question="${id}"]`;
const PAGE0 = JSON.parse(readFileSync(new URL('../src/quizzes/0-backprop-is-a-product.json', import.meta.url), 'utf8'));
const N = PAGE0.questions.length;

let lab;
before(async () => {
  lab = await start();
});
after(() => lab?.stop());

async function openQuiz(path = PAGE, options) {
  const o = await lab.open(path, options);
  await o.page.waitForSelector('quiz-question[data-ready="true"]');
  await o.page.waitForSelector('quiz-score[data-ready="true"]');
  return o;
}

/** The learner's variant of a question: its params and key, read from the page. */
const variantOf = (page, id) =>
  page.$eval(sel(id), (el) => {
    const data = JSON.parse(el.querySelector('script.quiz-data').textContent);
    return data.variants[Number(el.dataset.variant)];
  });

const state = (page, id) =>
  page.$eval(sel(id), (el) => ({
    status: el.dataset.status,
    best: Number(el.dataset.best),
    feedback: el.querySelector('.quiz-feedback').textContent,
    answer: el.querySelector('.quiz-answer').textContent,
  }));

async function graded(page, id) {
  await page.waitForSelector(`${sel(id)}:not([data-status="unanswered"]):not([data-running])`, { timeout: 60_000 });
  return state(page, id);
}

const check = (page, id) => page.click(`${sel(id)} button.quiz-check`);

/** Reorders an ordering question with its Move buttons until it shows `target` (top to bottom). */
async function reorder(page, id, target) {
  for (let i = 0; i < target.length; i++) {
    for (;;) {
      const now = await page.$$eval(`${sel(id)} .quiz-order li`, (lis) => lis.map((li) => li.dataset.item));
      const at = now.indexOf(target[i]);
      if (at === i) break;
      await page.click(`${sel(id)} li[data-item="${target[i]}"] button[data-dir="up"]`);
    }
  }
}

/** Kendall τ by counting pairs, independent of @gradlab/quiz. */
function tau(order, key) {
  let s = 0;
  for (let i = 0; i < order.length; i++)
    for (let j = i + 1; j < order.length; j++) s += Math.sign(key.indexOf(order[j]) - key.indexOf(order[i]));
  return s / ((order.length * (order.length - 1)) / 2);
}

/** The right order of the ordering question, from Node probe runs of its configurations. */
const rightOrder = (ids) => [...ids].sort((a, b) => jobs.probe(CONFIGS[a]).ratio - jobs.probe(CONFIGS[b]).ratio);

describe('quizzes (page 0)', { concurrency: 2 }, () => {
  test('every question on page 0 answered right (every type): feedback, live run = build-time key = Node, full score', async () => {
    const { page, problems, close } = await openQuiz();
    // numeric: the key is (1/4)^depth exactly (a power of two), computed here without the engine.
    const chain = await variantOf(page, 'chain-of-sigmoids');
    const exact = 0.25 ** chain.params.depth;
    assert.ok(Object.is(chain.key, exact), `build-time key ${chain.key} vs (1/4)^${chain.params.depth} = ${exact}`);
    await page.fill(`${sel('chain-of-sigmoids')} input[type=text]`, exact.toExponential(2).replace('e', '×10^'));
    await check(page, 'chain-of-sigmoids');
    assert.equal((await graded(page, 'chain-of-sigmoids')).status, 'correct');

    await page.check(`${sel('why-a-product')} input[value="chain-rule"]`);
    await check(page, 'why-a-product');
    const single = await graded(page, 'why-a-product');
    assert.equal(single.status, 'correct');
    assert.match(single.feedback, /applied once per layer/);

    // predict: lock in a prediction on the log slider, run it in the worker, compare the numbers.
    const predict = await variantOf(page, 'predict-sigmoid-net');
    const node = jobs.probe(predict.run).ratio;
    assert.ok(Object.is(predict.key, node), `build-time key ${predict.key} vs Node ${node}`);
    await page.fill(`${sel('predict-sigmoid-net')} input[type=range]`, String(Math.round(Math.log10(node) * 10) / 10));
    assert.equal(
      await page.isDisabled(`${sel('predict-sigmoid-net')} button.quiz-run`),
      true,
      'no run before the prediction is locked',
    );
    await page.click(`${sel('predict-sigmoid-net')} button.quiz-commit`);
    assert.equal(await page.isDisabled(`${sel('predict-sigmoid-net')} input[type=range]`), true, 'prediction locked');
    await page.click(`${sel('predict-sigmoid-net')} button.quiz-run`);
    const p = await graded(page, 'predict-sigmoid-net');
    assert.equal(p.status, 'correct');
    const live = await page.$eval(sel('predict-sigmoid-net'), (el) => Number(el.dataset.actual));
    assert.ok(Object.is(live, predict.key), `worker ${live} vs build-time key ${predict.key}`);
    assert.match(p.feedback, /The run gave ratio = 1\.01e-12/);

    await page.check(`${sel('what-shrinks-it')} input[value="small-slope"]`);
    await page.check(`${sel('what-shrinks-it')} input[value="small-weights"]`);
    await check(page, 'what-shrinks-it');
    assert.equal((await graded(page, 'what-shrinks-it')).status, 'correct');

    const items = await page.$$eval(`${sel('order-four-nets')} .quiz-order li`, (lis) =>
      lis.map((li) => li.dataset.item),
    );
    const key = rightOrder(items);
    assert.deepEqual((await variantOf(page, 'order-four-nets')).key, key);
    await reorder(page, 'order-four-nets', key);
    await check(page, 'order-four-nets');
    assert.equal((await graded(page, 'order-four-nets')).status, 'correct');

    await page.selectOption(`${sel('tame-the-ratio')} select[name=activation]`, 'relu');
    await page.selectOption(`${sel('tame-the-ratio')} select[name=initializer]`, 'he');
    await page.click(`${sel('tame-the-ratio')} button.quiz-run`);
    const goal = await graded(page, 'tame-the-ratio');
    assert.equal(goal.status, 'correct');
    assert.match(goal.feedback, /0\.5 ≤ ratio ≤ 2: met \(yours: 0\.749\)/);

    await page.check(`${sel('diagnose-deep-sigmoid')} input[value="vanishing"]`);
    await page.check(`${sel('diagnose-deep-sigmoid')} input[value="relu-he"]`);
    await check(page, 'diagnose-deep-sigmoid');
    assert.equal((await graded(page, 'diagnose-deep-sigmoid')).status, 'correct');

    for (const [prompt, choice] of Object.entries({
      'sigmoid-0': 'quarter',
      'tanh-0': 'one',
      'relu-negative': 'zero',
      'sigmoid-6': 'tiny',
    }))
      await page.selectOption(`${sel('match-local-factors')} select[name="${prompt}"]`, choice);
    await check(page, 'match-local-factors');
    assert.equal((await graded(page, 'match-local-factors')).status, 'correct');

    for (const [id, choice] of [
      ['what-vanishing-means', 'slow-first'],
      ['bigger-lr', 'no'],
    ]) {
      await page.check(`${sel(id)} input[value="${choice}"]`);
      await check(page, id);
      assert.equal((await graded(page, id)).status, 'correct');
    }
    const score = await page.$eval('quiz-score', (el) => ({
      ...el.dataset,
      text: el.querySelector('.quiz-score-text').textContent,
    }));
    assert.equal(N, 10);
    assert.equal(score.earned, String(N));
    assert.equal(score.possible, String(N));
    assert.ok(score.text.includes(`${N} of ${N} (${N} of ${N} questions answered)`), score.text);
    assert.deepEqual(problems, []);
    await close();
  });

  test('every question type answered wrong: range feedback, partial credit, invalid input, hints, solution', async () => {
    const { page, problems, close } = await openQuiz();
    const chain = await variantOf(page, 'chain-of-sigmoids');
    // Unreadable input is not an attempt.
    await page.fill(`${sel('chain-of-sigmoids')} input[type=text]`, '0,5');
    await check(page, 'chain-of-sigmoids');
    assert.match(await page.$eval(`${sel('chain-of-sigmoids')} .quiz-invalid`, (e) => e.textContent), /with a point/);
    assert.equal((await state(page, 'chain-of-sigmoids')).status, 'unanswered');
    // One factor of 4 too many: the authored range feedback, with the variant's depth filled in.
    await page.fill(`${sel('chain-of-sigmoids')} input[type=text]`, String(4 * 0.25 ** chain.params.depth));
    await check(page, 'chain-of-sigmoids');
    const n = await graded(page, 'chain-of-sigmoids');
    assert.equal(n.status, 'wrong');
    assert.match(n.feedback, new RegExp(`one factor of 4 too many: a chain of ${chain.params.depth} units`));
    // Hints one at a time, then the solution.
    await page.click(`${sel('chain-of-sigmoids')} button.quiz-hint`);
    assert.equal(await page.locator(`${sel('chain-of-sigmoids')} .quiz-hints li`).count(), 1);
    await page.click(`${sel('chain-of-sigmoids')} button.quiz-hint`);
    assert.equal(await page.locator(`${sel('chain-of-sigmoids')} .quiz-hints li`).count(), 2);
    assert.equal(await page.isDisabled(`${sel('chain-of-sigmoids')} button.quiz-hint`), true);
    await page.click(`${sel('chain-of-sigmoids')} button.quiz-solution`);
    assert.match((await state(page, 'chain-of-sigmoids')).answer, /Solution: .*significant figures/);
    // Retry unlocks; a right answer after the solution does not raise the score.
    await page.click(`${sel('chain-of-sigmoids')} button.quiz-retry`);
    await page.fill(`${sel('chain-of-sigmoids')} input[type=text]`, String(0.25 ** chain.params.depth));
    await check(page, 'chain-of-sigmoids');
    const after = await graded(page, 'chain-of-sigmoids');
    assert.equal(after.status, 'correct');
    assert.equal(after.best, 0);

    await page.check(`${sel('why-a-product')} input[value="shared-weights"]`);
    await check(page, 'why-a-product');
    assert.match((await graded(page, 'why-a-product')).feedback, /Only recurrent nets share weights/);

    await page.fill(`${sel('predict-sigmoid-net')} input[type=range]`, '0');
    await page.click(`${sel('predict-sigmoid-net')} button.quiz-commit`);
    await page.click(`${sel('predict-sigmoid-net')} button.quiz-run`);
    const p = await graded(page, 'predict-sigmoid-net');
    assert.equal(p.status, 'wrong');
    assert.match(p.feedback, /Much too close to 1/);

    // Multiple choice, net-correct: one of two right picks → 1/2.
    await page.check(`${sel('what-shrinks-it')} input[value="small-slope"]`);
    await check(page, 'what-shrinks-it');
    const m = await graded(page, 'what-shrinks-it');
    assert.equal(m.status, 'partial');
    assert.equal(m.best, 0.5);
    assert.match(m.feedback, /Partly right: 50%/);

    // Ordering as shown: partial credit max(0, τ) computed here.
    const shown = await page.$$eval(`${sel('order-four-nets')} .quiz-order li`, (lis) =>
      lis.map((li) => li.dataset.item),
    );
    await check(page, 'order-four-nets');
    const o = await graded(page, 'order-four-nets');
    assert.equal(o.best, Math.max(0, tau(shown, rightOrder(shown))));

    await page.click(`${sel('tame-the-ratio')} button.quiz-run`);
    const g = await graded(page, 'tame-the-ratio');
    assert.equal(g.status, 'wrong');
    assert.match(g.feedback, /0\.5 ≤ ratio ≤ 2: not met/);

    await page.check(`${sel('diagnose-deep-sigmoid')} input[value="exploding"]`);
    await page.check(`${sel('diagnose-deep-sigmoid')} input[value="wider"]`);
    await check(page, 'diagnose-deep-sigmoid');
    const d = await graded(page, 'diagnose-deep-sigmoid');
    assert.equal(d.status, 'wrong');
    assert.match(d.feedback, /falls towards the first layer.*still flag vanishing at width 128/);

    for (const [prompt, choice] of Object.entries({
      'sigmoid-0': 'half',
      'tanh-0': 'one',
      'relu-negative': 'zero',
      'sigmoid-6': 'tiny',
    }))
      await page.selectOption(`${sel('match-local-factors')} select[name="${prompt}"]`, choice);
    await check(page, 'match-local-factors');
    const mt = await graded(page, 'match-local-factors');
    assert.equal(mt.best, 0.75);
    assert.match(mt.feedback, /1\/2 is σ\(0\), the value/);

    const earned = await page.$eval('quiz-score', (el) => Number(el.dataset.earned));
    assert.equal(earned, 0.5 + Math.max(0, tau(shown, rightOrder(shown))) + 0.75);
    // Reset clears one question: state, hints, input and its share of the score.
    await page.click(`${sel('match-local-factors')} button.quiz-reset`);
    assert.equal((await state(page, 'match-local-factors')).status, 'unanswered');
    assert.equal(await page.$eval(`${sel('match-local-factors')} select[name="sigmoid-0"]`, (e) => e.value), '');
    await page.click(`${sel('order-four-nets')} button.quiz-reset`);
    assert.equal(
      await page.isDisabled(`${sel('order-four-nets')} button.quiz-check`),
      false,
      'the shown order can be checked again',
    );
    assert.equal(await page.$eval('quiz-score', (el) => Number(el.dataset.earned)), 0.5);
    assert.deepEqual(problems, []);
    await close();
  });

  test('a reload keeps scores and answers; corrupted storage is set aside with a notice and the page still works', async () => {
    const { page, problems, close } = await openQuiz();
    await page.check(`${sel('why-a-product')} input[value="chain-rule"]`);
    await check(page, 'why-a-product');
    await graded(page, 'why-a-product');
    await page.reload();
    await page.waitForSelector('quiz-score[data-ready="true"]');
    assert.equal((await state(page, 'why-a-product')).best, 1);
    assert.equal(await page.isChecked(`${sel('why-a-product')} input[value="chain-rule"]`), true);
    assert.equal(await page.$eval('quiz-score', (el) => el.dataset.earned), '1');

    const broken = '{"format":"gradlab/quiz-progress","version":1,"pages":{"0-backprop';
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, broken]);
    await page.reload();
    await page.waitForSelector('quiz-score[data-ready="true"]');
    const notice = await page.$eval('quiz-score .quiz-notice', (el) => ({ hidden: el.hidden, text: el.textContent }));
    assert.equal(notice.hidden, false);
    assert.match(
      notice.text,
      /could not be read \(it is not JSON\)\. It was set aside under "gradlab:quiz-progress:set-aside"/,
    );
    assert.equal(await page.evaluate((k) => localStorage.getItem(`${k}:set-aside`), KEY), broken);
    assert.equal(await page.$eval('quiz-score', (el) => el.dataset.earned), '0');
    await page.check(`${sel('why-a-product')} input[value="chain-rule"]`);
    await check(page, 'why-a-product');
    assert.equal((await graded(page, 'why-a-product')).status, 'correct');
    const saved = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), KEY));
    assert.equal(saved.pages['0-backprop-is-a-product']['why-a-product'].best, 1);
    assert.deepEqual(problems, []);
    await close();
  });

  test('progress page: site score, export to a file, reset, import it back, refuse a bad file', async () => {
    const { page, problems, close } = await openQuiz();
    await page.check(`${sel('why-a-product')} input[value="chain-rule"]`);
    await check(page, 'why-a-product');
    await graded(page, 'why-a-product');
    await page.goto(new URL('/progress/', page.url()).href);
    await page.waitForSelector('quiz-score[data-ready="true"]');
    const row = () =>
      page.$eval('tr[data-page="0-backprop-is-a-product"]', (tr) => [...tr.cells].map((c) => c.textContent));
    assert.deepEqual((await row()).slice(1), [`1 / ${N}`, `1 / ${N}`, '1']);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const file = await download.path();
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(exported.format, 'gradlab/quiz-progress');
    assert.equal(exported.pages['0-backprop-is-a-product']['why-a-product'].best, 1);

    page.once('dialog', (d) => d.accept());
    await page.click('#clear');
    await page.waitForFunction(() => document.querySelector('quiz-score').dataset.earned === '0');
    assert.deepEqual((await row()).slice(1), [`0 / ${N}`, `0 / ${N}`, '0']);

    await page.setInputFiles('#import', file);
    await page.waitForFunction(() => document.querySelector('quiz-score').dataset.earned === '1');
    assert.match(await page.textContent('#progress-message'), /Imported/);

    await page.setInputFiles('#import', {
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format":"other"}'),
    });
    await page.waitForFunction(() => /was not imported/.test(document.querySelector('#progress-message').textContent));
    assert.match(await page.textContent('#progress-message'), /format must be "gradlab\/quiz-progress"/);
    assert.equal(await page.$eval('quiz-score', (el) => el.dataset.earned), '1');
    assert.deepEqual(problems, []);
    await close();
  });

  test('keyboard only: arrow keys move the choice without submitting, Enter checks, Move buttons keep focus; 360 px; axe', async () => {
    const { page, problems, close } = await openQuiz(PAGE, { width: 360, height: 800 });
    assert.ok(
      (await page.evaluate(() => document.documentElement.scrollWidth)) <= 360,
      'no horizontal scroll at 360 px',
    );
    await page.focus(`${sel('why-a-product')} input[value="chain-rule"]`);
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.isChecked(`${sel('why-a-product')} input[value="shared-weights"]`), true);
    assert.equal((await state(page, 'why-a-product')).status, 'unanswered', 'arrow keys never submit');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'quiz-check');
    await page.keyboard.press('Enter');
    const r = await graded(page, 'why-a-product');
    assert.equal(r.status, 'wrong');
    assert.equal(await page.$eval(`${sel('why-a-product')} .quiz-feedback`, (el) => el.getAttribute('role')), 'status');

    const first = await page.$eval(`${sel('order-four-nets')} .quiz-order li`, (li) => li.dataset.item);
    await page.focus(`${sel('order-four-nets')} li[data-item="${first}"] button[data-dir="down"]`);
    await page.keyboard.press('Enter');
    const moved = await page.$$eval(`${sel('order-four-nets')} .quiz-order li`, (lis) =>
      lis.map((li) => li.dataset.item),
    );
    assert.equal(moved[1], first);
    assert.equal(
      await page.evaluate(() => document.activeElement.closest('li')?.dataset.item),
      first,
      'focus follows the moved item',
    );
    assert.match(
      await page.$eval(`${sel('order-four-nets')} .visually-hidden`, (el) => el.textContent),
      /is now 2 of 4/,
    );

    const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      const r = await window.axe.run('section.quiz', { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa'] });
      return r.violations.map((v) => `${v.id}: ${v.nodes.length}`);
    });
    assert.deepEqual(violations, []);
    assert.deepEqual(problems, []);
    await close();
  });

  test('JavaScript off: every question is still readable', async () => {
    const { page, close } = await lab.open(PAGE, { javaScriptEnabled: false });
    const statics = await page.$$eval('quiz-question .quiz-static', (els) => els.map((e) => e.textContent));
    assert.equal(statics.length, N);
    assert.ok(statics.every((t) => /Question \d+\./.test(t) && /need JavaScript/.test(t)));
    await close();
  });
});

// Every page that has a quiz file and is built: its quiz renders, and each predict-then-run question,
// run in the worker, gives exactly its build-time key (the variant of seed 7; page 0 checks Node too).
const QUIZ_DIR = join(ROOT, 'src', 'quizzes');
const quizPages = readdirSync(QUIZ_DIR)
  .map((f) => JSON.parse(readFileSync(join(QUIZ_DIR, f), 'utf8')))
  .filter((q) => existsSync(join(DIST, q.page, 'index.html')));

describe('a two-phase goal (page 5: kill, then revive)', () => {
  test('ReLU after the switch leaves the units dead (not met); leaky ReLU with α = 0.2 revives them (met)', async () => {
    const { page, problems, close } = await openQuiz('/5-dead-relu/');
    const s = sel('kill-then-revive');
    await page.selectOption(`${s} select[name=lr]`, '0.03');
    await page.click(`${s} button.quiz-run`);
    const wrong = await graded(page, 'kill-then-revive');
    assert.equal(wrong.status, 'wrong');
    assert.match(wrong.feedback, /killed ≥ 0\.5: met/);
    assert.match(wrong.feedback, /finalInactive ≤ 0\.4: not met/);
    await page.selectOption(`${s} select[name=reviveActivation]`, 'leaky-relu');
    await page.fill(`${s} input[name=alpha]`, '0.2');
    await page.click(`${s} button.quiz-run`);
    await page.waitForSelector(`${s}[data-status="correct"]:not([data-running])`, { timeout: 60_000 });
    assert.deepEqual(problems, []);
    await close();
  });
});

describe('quizzes on every built page', { concurrency: 1 }, () => {
  for (const quiz of quizPages) {
    test(`${quiz.page}: ${quiz.questions.length} questions render; every predict question's live run = its build-time key`, async () => {
      const { page, problems, close } = await openQuiz(`/${quiz.page}/?quiz-seed=${SEED}`);
      const ids = await page.$$eval('section.quiz quiz-question', (els) => els.map((e) => e.dataset.question));
      assert.deepEqual([...new Set(ids)].sort(), quiz.questions.map((q) => q.id).sort());
      for (const q of quiz.questions.filter((x) => x.type === 'predict')) {
        const s = sel(q.id);
        if (q.input === 'choice') await page.check(`${s} input[type=radio] >> nth=0`);
        else if (q.input === 'log-slider') await page.fill(`${s} input[type=range]`, '0');
        else await page.fill(`${s} input[type=text]`, '1');
        await page.click(`${s} button.quiz-commit`);
        await page.click(`${s} button.quiz-run`);
        await graded(page, q.id);
        const { key, actual } = await page.$eval(s, (el) => ({ key: el.dataset.key, actual: el.dataset.actual }));
        assert.ok(
          key !== undefined && Object.is(Number(actual), Number(key)),
          `${q.id}: worker ${actual} vs build-time ${key}`,
        );
      }
      assert.deepEqual(problems, []);
      await close();
    });
  }
});
