// `node scripts/worker-ab.mjs worker-<A>.js worker-<B>.js` (after a build): the lab worker of two builds in
// one page, one probe request to each in turn (A B, then B A, …), distinct gains, page 0's net setting; prints
// the median compute of each (the worker's own clock, as the widget's 'lab:latency' detail has it), the
// median per-request ratio B/A, and whether both gave the same numbers. Interleaving per request keeps the
// machine's load (2 cores shared) the same for both. To get the other build's worker next to this one:
// build it, then copy its `dist/_astro/*` into this dist's `_astro/` (hashed names: nothing is overwritten).
// N=n requests each (default 160).
import { loadavg } from 'node:os';
import { ready, start } from '../e2e/harness.mjs';

const [fileA, fileB] = process.argv.slice(2);
if (!fileA || !fileB) throw new Error('usage: node scripts/worker-ab.mjs worker-<A>.js worker-<B>.js');
const n = Number(process.env.N ?? 160);
const lab = await start();
const { page, close } = await lab.open('/0-backprop-is-a-product/');
const { runId } = await ready(page, 'net');
// The widget's setting, seen as it posts a request for one gain change.
await page.evaluate(() => {
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (m, ...rest) {
    if (m?.type === 'run') window.__setting = m.setting;
    return post.call(this, m, ...rest);
  };
});
await page.fill('#net-gain', '1.05');
await ready(page, 'net', runId + 1);
const load0 = loadavg()[0];
const r = await page.evaluate(
  async ({ fileA, fileB, n }) => {
    const setting = window.__setting;
    const workers = {
      A: new Worker(`/_astro/${fileA}`, { type: 'module' }),
      B: new Worker(`/_astro/${fileB}`, { type: 'module' }),
    };
    let id = 0;
    const ask = (w, gain) =>
      new Promise((ok) => {
        const mine = ++id;
        const on = (e) => {
          if (e.data.id !== mine) return;
          w.removeEventListener('message', on);
          ok(e.data);
        };
        w.addEventListener('message', on);
        w.postMessage({ type: 'run', id: mine, job: 'probe', setting: { ...setting, gain } });
      });
    // Warm both (module compile, the data set): gains not used below.
    for (let i = 0; i < 10; i++) for (const k of ['A', 'B']) await ask(workers[k], 3 + i / 100);
    const out = { A: [], B: [], same: true };
    for (let i = 0; i < n; i++) {
      const gain = 0.8 + i * 0.01;
      const res = {};
      for (const k of i % 2 ? ['B', 'A'] : ['A', 'B']) res[k] = await ask(workers[k], gain);
      if (res.A.type !== 'result' || res.B.type !== 'result')
        throw new Error(`gain ${gain}: ${res.A.type}/${res.B.type}`);
      out.A.push(res.A.computeMs);
      out.B.push(res.B.computeMs);
      if (
        JSON.stringify([res.A.result.deltaNorm, res.A.result.predicted]) !==
        JSON.stringify([res.B.result.deltaNorm, res.B.result.predicted])
      )
        out.same = false;
    }
    return out;
  },
  { fileA, fileB, n },
);
await close();
await lab.stop();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log(
  `A ${fileA}: median ${median(r.A).toFixed(2)} ms; B ${fileB}: median ${median(r.B).toFixed(2)} ms; median per-request ratio B/A ${median(r.A.map((a, i) => r.B[i] / a)).toFixed(3)} (n ${n} each); same numbers: ${r.same}; load average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)} on 2 cores`,
);
