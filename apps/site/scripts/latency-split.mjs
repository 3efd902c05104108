// `node scripts/latency-split.mjs` (after a build): is the page's control → chart compute the worker's own?
// On page 0's net widget, interleaved, distinct gains: `ui` moves the gain slider (input event) and reads the
// worker's compute from the widget's 'lab:latency' measure; `uiworker` posts the same setting (another
// gain) straight to the widget's own worker; `direct` to a second worker of the same file. If `ui` is far
// above `uiworker`, work on the page or in the browser competes with the worker while it computes
// (decision 0013: history.replaceState during the compute doubled it). ROUNDS=n (default 12); TRACE=file
// writes a Chromium trace with `win:<mode>:start|end` marks around each change.
import { readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { DIST, ready, start } from '../e2e/harness.mjs';

const workerFile = readdirSync(join(DIST, '_astro')).find((f) => /^worker-.*\.js$/.test(f));
const rounds = Number(process.env.ROUNDS ?? 12);
const lab = await start();
const { page, close } = await lab.open('/0-backprop-is-a-product/');
await ready(page, 'net');
const browser = page.context().browser();
if (process.env.TRACE)
  await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing', 'devtools.timeline'] });
const r = await page.evaluate(
  async ({ workerFile, rounds }) => {
    const input = document.querySelector('#net-gain');
    const el = document.querySelector('lab-widget[data-widget="net"]');
    const direct = new Worker(`/_astro/${workerFile}`, { type: 'module' });
    // The widget's worker and setting, seen as the widget posts its first request below.
    const post = Worker.prototype.postMessage;
    let uiWorker;
    let uiSetting;
    Worker.prototype.postMessage = function (m, ...rest) {
      if (this !== direct && m?.type === 'run') [uiWorker, uiSetting] = [this, m.setting];
      return post.call(this, m, ...rest);
    };
    let id = 900000;
    const ask = (w, setting) =>
      new Promise((ok) => {
        const mine = ++id;
        const on = (e) => {
          if (e.data.id !== mine) return;
          w.removeEventListener('message', on);
          ok(e.data.computeMs);
        };
        w.addEventListener('message', on);
        post.call(w, { type: 'run', id: mine, job: 'probe', setting });
      });
    const slide = async (g) => {
      const before = el.dataset.runId;
      const done = new Promise((ok) => {
        const mo = new MutationObserver(() => {
          if (el.dataset.state === 'ready' && el.dataset.runId !== before) {
            mo.disconnect();
            ok();
          }
        });
        mo.observe(el, { attributes: true, attributeFilter: ['data-state'] });
      });
      input.value = g.toFixed(2);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await done;
      return performance.getEntriesByName('lab:latency').at(-1).detail.computeMs;
    };
    const res = { ui: [], uiworker: [], direct: [] };
    await slide(3); // learns the widget's worker and setting
    await ask(direct, { ...uiSetting, gain: 1 });
    for (let i = 0; i < rounds; i++) {
      // Distinct gains for each mode: the slider's 0.05 grid from 1.05, the others off that grid.
      const gains = { ui: 1.05 + 0.05 * i, uiworker: 2.9 - 0.0137 * i, direct: 2.8 - 0.0137 * i };
      for (const mode of Object.keys(res)) {
        await new Promise((ok) => setTimeout(ok, 50));
        performance.mark(`win:${mode}:start`);
        const g = gains[mode];
        res[mode].push(
          mode === 'ui' ? await slide(g) : await ask(mode === 'direct' ? direct : uiWorker, { ...uiSetting, gain: g }),
        );
        performance.mark(`win:${mode}:end`);
      }
    }
    Worker.prototype.postMessage = post;
    direct.terminate();
    return res;
  },
  { workerFile, rounds },
);
if (process.env.TRACE) writeFileSync(process.env.TRACE, await browser.stopTracing());
const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))].toFixed(1);
for (const [mode, xs] of Object.entries(r))
  console.log(
    `${mode.padEnd(8)} worker compute median ${q(xs, 0.5)} ms, min ${q(xs, 0)}, p90 ${q(xs, 0.9)} (n ${xs.length})`,
  );
console.log(`load average ${loadavg()[0].toFixed(2)}`);
await close();
await lab.stop();
