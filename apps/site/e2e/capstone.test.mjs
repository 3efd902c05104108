// The capstone (page 13) in Chromium: a diagnose question whose fix is graded on a re-run in the worker.
// Right pathology with the broken setting left as it is scores half (the re-run still fails the check);
// after "Try again", the fix doctor verified passes; a training case graded on its re-run; doctor's
// fixes and the measured label shown after answering; no console errors.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { start } from './harness.mjs';

const sel = (id) => `quiz-question[data-question="${id}"]`;
let lab;
before(async () => {
  lab = await start();
});
after(() => lab?.stop());

async function graded(page, id) {
  await page.waitForSelector(`${sel(id)}:not([data-status="unanswered"]):not([data-running])`, { timeout: 90_000 });
  return page.$eval(sel(id), (el) => ({
    status: el.dataset.status,
    best: Number(el.dataset.best),
    feedback: el.querySelector('.quiz-feedback').textContent,
    explanation: el.querySelector('.quiz-explanation').textContent,
  }));
}

test('capstone: name the pathology, fix it with the controls, the worker re-runs it and grades both', async () => {
  const { page, problems, close } = await lab.open('/13-capstone/?quiz-seed=7');
  await page.waitForSelector('quiz-question[data-ready="true"]');
  const q = sel('run-b');
  // Nothing runs before a pathology is chosen.
  assert.equal(await page.$eval(`${q} button.quiz-run`, (b) => b.disabled), true);
  await page.check(`${q} input[value="exploding"]`);
  await page.click(`${q} button.quiz-run`);
  let s = await graded(page, 'run-b');
  assert.equal(s.status, 'partial');
  assert.equal(s.best, 0.5);
  assert.match(s.feedback, /0\.1 ≤ ratio ≤ 10: not met/);
  assert.match(s.explanation, /Measured: ratio ≥ 100/);
  assert.match(s.explanation, /gradlab doctor --activation relu --init he/);
  assert.match(s.explanation, /--gain 1 \(for EXPLODING_GRADIENTS\): doctor cleared it; gain = 1 passes/);
  await page.click(`${q} button.quiz-retry`);
  await page.fill(`${q} input[name="gain"]`, '1');
  await page.click(`${q} button.quiz-run`);
  s = await graded(page, 'run-b');
  assert.equal(s.status, 'correct', s.feedback);
  assert.equal(s.best, 1);

  const t = sel('run-e');
  await page.check(`${t} input[value="dead"]`);
  await page.selectOption(`${t} select[name="lr"]`, '0.01');
  await page.click(`${t} button.quiz-run`);
  s = await graded(page, 'run-e');
  assert.equal(s.status, 'partial', s.feedback);
  assert.match(s.feedback, /nonFinite = false: met/);
  assert.match(s.feedback, /lossRatio ≤ 0\.1: met/);

  // Through time (the rnn-time job in the worker): ρ back to 1 keeps ‖∂L/∂h_t‖ level.
  const r = sel('run-f');
  await page.check(`${r} input[value="exploding"]`);
  await page.fill(`${r} input[name="rho"]`, '1');
  await page.click(`${r} button.quiz-run`);
  s = await graded(page, 'run-f');
  assert.equal(s.status, 'correct', s.feedback);
  assert.match(s.explanation, /recurrentInitializer 'orthogonal'/);
  assert.deepEqual(problems, []);
  await close();
});
