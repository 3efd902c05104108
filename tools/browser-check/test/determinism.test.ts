import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@gradlab/chromium';
import { createRegistry, type ExperimentSpec, type KernelMode, kernelStatus, train, useKernels } from '@gradlab/core';
import standard from '@gradlab/preset-standard';
import probes, { useSimdPasses } from '@gradlab/probes';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The house promise "the same spec and seed give the same numbers in Node and in the browser",
 * checked bit for bit: Node trains from the TypeScript sources, headless Chromium (Debian's,
 * driven by playwright-core; never a browser download) trains from the built `dist/` ESM loaded
 * through an import map, and every parameter's bytes must match. The specs touch every Math
 * function the engine leans on: Box–Muller (log, cos, sin), tanh, exp/erf (GELU), sqrt and pow
 * (Adam, batch norm). Both runtimes run it with the wasm SIMD kernels (asserted active) and the
 * browser also with the JavaScript kernels: all must give the same bits (decision 0023). The
 * probes' statistics (wasm f64x2 passes or their JavaScript loops, decision 0051) are checked the
 * same way on every report number of a probed run.
 */
const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

const SPECS: Record<string, ExperimentSpec> = {
  'dense, batch norm, adam on spirals': {
    seed: 11,
    data: ['spirals', { samples: 96, noise: 0.05 }],
    model: {
      layers: [
        { type: 'dense', units: 12, activation: 'tanh', initializer: 'glorot' },
        { type: 'dense', units: 12, activation: 'gelu', initializer: ['he', { distribution: 'truncated-normal' }] },
        { type: 'batchnorm', activation: 'relu' },
        { type: 'dense', units: 8, activation: 'sigmoid', initializer: 'lecun', residual: false },
        { type: 'dense', units: 1, initializer: 'glorot' },
      ],
    },
    train: {
      loss: 'bce',
      optimizer: ['adam', { lr: 0.01 }],
      batchSize: 16,
      epochs: 6,
      regularizers: [['l2', { strength: 1e-3 }]],
      clipping: [['global-norm', { maxNorm: 1 }]],
    },
  },
  'wide residual relu and sigmoid layers, sgd (full SIMD tiles, partial last batch)': {
    seed: 3,
    data: ['moons', { samples: 250, noise: 0.2 }],
    model: {
      layers: [
        { type: 'dense', units: 37, activation: 'relu', initializer: 'he' },
        { type: 'dense', units: 37, activation: 'relu', initializer: 'he', residual: true },
        { type: 'dense', units: 21, activation: 'sigmoid', initializer: 'glorot' },
        { type: 'dense', units: 1, initializer: 'glorot' },
      ],
    },
    train: { loss: 'bce', optimizer: ['sgd', { lr: 0.1 }], batchSize: 36, epochs: 3 },
  },
  'wide relu layers, where all three kernels pack panels first (batch ≥ 64, 130 → 131 units)': {
    seed: 9,
    data: ['moons', { samples: 150, noise: 0.2 }],
    model: {
      layers: [
        { type: 'dense', units: 130, activation: 'relu', initializer: 'he' },
        { type: 'dense', units: 131, activation: 'relu', initializer: 'he' },
        { type: 'dense', units: 1, initializer: 'glorot' },
      ],
    },
    train: { loss: 'bce', optimizer: ['sgd', { lr: 0.05 }], batchSize: 70, epochs: 6 },
  },
  'recurrent layer through time on sine': {
    seed: 5,
    data: ['sine', { samples: 40, steps: 12 }],
    model: {
      layers: [
        { type: 'rnn', units: 6, activation: 'tanh', initializer: 'glorot', recurrentInitializer: 'orthogonal' },
        { type: 'dense', units: 1, initializer: 'glorot' },
      ],
    },
    train: { loss: 'mse', optimizer: ['momentum', { lr: 0.05, nesterov: true }], batchSize: 8, epochs: 4 },
  },
};

/** A probed run: all nine probes on layers of 32 × 48 entries (the wasm passes take ≥ 64), relu and sigmoid. */
const PROBED: ExperimentSpec = {
  seed: 4,
  data: ['spirals', { samples: 120, noise: 0.1 }],
  model: {
    layers: [
      { type: 'dense', units: 48, activation: 'relu', initializer: 'he' },
      { type: 'dense', units: 48, activation: 'relu', initializer: 'he' },
      { type: 'dense', units: 33, activation: 'sigmoid', initializer: 'glorot' },
      { type: 'dense', units: 1, initializer: 'glorot' },
    ],
  },
  train: { loss: 'bce', optimizer: ['sgd', { lr: 0.5 }], batchSize: 32, epochs: 6 },
  probes: probes.map((p) => p.meta.id),
};

/**
 * JSON replacer: every number of the reports and findings as the hex of its float64 bits (NaN
 * included). The page gets its source text, so both sides use the same function.
 */
function reportHex(_key: string, v: unknown): unknown {
  if (typeof v !== 'number') return v;
  const b = new Uint8Array(new Float64Array([v]).buffer);
  return `f${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/** Every parameter tensor as hex of its little-endian float64 bytes, plus the per-step losses. */
function fingerprint(params: readonly { name: string; value: Float64Array }[], losses: readonly number[]) {
  const hex = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
  return {
    params: Object.fromEntries(params.map((p) => [p.name, hex(p.value)])),
    losses: hex(Float64Array.from(losses)),
  };
}

/** `@gradlab/<name>` → `/packages/…/dist/index.js` for every workspace package that has a build. */
function importMap(): Record<string, string> {
  const imports: Record<string, string> = {};
  for (const group of [
    'packages',
    'packages/activations',
    'packages/initializers',
    'packages/clipping',
    'packages/regularizers',
  ]) {
    for (const dir of readdirSync(join(ROOT, group))) {
      const pkg = join(ROOT, group, dir, 'package.json');
      if (!existsSync(pkg) || !existsSync(join(ROOT, group, dir, 'dist/index.js'))) continue;
      imports[JSON.parse(readFileSync(pkg, 'utf8')).name] = `/${group}/${dir}/dist/index.js`;
    }
  }
  return imports;
}

/** The page: loads the built packages and trains each spec exactly as Node does. */
function pageHtml(): string {
  const script = `
    import { createRegistry, kernelStatus, train, useKernels } from '@gradlab/core';
    import standard from '@gradlab/preset-standard';
    import probes, { useSimdPasses } from '@gradlab/probes';
    const hex = (a) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), (b) => b.toString(16).padStart(2, '0')).join('');
    window.kernelStatus = kernelStatus;
    window.statsPasses = () => useSimdPasses('auto');
    window.runProbed = (spec, passes) => {
      const status = useSimdPasses(passes);
      const result = train(spec, { registry: createRegistry().use(standard).use(probes) });
      return { passes: status.passes, reports: JSON.stringify({ reports: result.reports, findings: result.findings }, ${reportHex.toString()}) };
    };
    window.runSpec = (spec, kernels) => {
      const status = useKernels(kernels);
      const result = train(spec, { registry: createRegistry().use(standard) });
      return {
        kernels: status.active,
        params: Object.fromEntries(result.model.params.map((p) => [p.name, hex(p.value)])),
        losses: hex(Float64Array.from(result.losses)),
      };
    };
    window.ready = true;`;
  return `<!doctype html><meta charset="utf-8"><title>gradlab determinism</title>
<script type="importmap">${JSON.stringify({ imports: importMap() })}</script>
<script type="module">${script}</script>`;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** Serves the page and repository files under packages/ on loopback only. */
function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/' || path.startsWith('/csp/')) {
      // /csp/<script-src>: the page under a Content-Security-Policy, to see which kernels it gets.
      const csp = path.startsWith('/csp/') ? { 'content-security-policy': `script-src ${path.slice(5)}` } : {};
      res.writeHead(200, { 'content-type': 'text/html', ...csp }).end(pageHtml());
      return;
    }
    const file = normalize(join(ROOT, path));
    if (!file.startsWith(join(ROOT, 'packages')) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

const built =
  existsSync(join(ROOT, 'packages/core/dist/index.js')) &&
  existsSync(join(ROOT, 'packages/preset-standard/dist/index.js'));

describe('the same spec and seed give bit-identical results in Node and in Chromium', { timeout: 60_000 }, () => {
  let server: Server;
  let browser: Browser;

  beforeAll(async () => {
    if (!built) throw new Error('Build first (pnpm build): the browser loads packages/*/dist.');
    server = await serve();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
  });

  async function openPage(path = '/') {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    return { page, errors };
  }

  for (const [name, spec] of Object.entries(SPECS)) {
    it(name, async () => {
      const { page, errors } = await openPage();
      const inBrowser = (kernels: KernelMode) =>
        page.evaluate(([s, k]) => (window as unknown as { runSpec(s: unknown, k: string): unknown }).runSpec(s, k), [
          spec,
          kernels,
        ] as const);
      const browserWasm = await inBrowser('wasm');
      const browserJs = await inBrowser('js');
      await page.close();

      expect(useKernels('wasm').active).toBe('wasm');
      const node = train(spec, { registry: createRegistry().use(standard) });
      useKernels('auto');
      const inNode = fingerprint(node.model.params, node.losses);
      expect(errors).toEqual([]);
      expect(node.losses.length).toBeGreaterThan(10);
      expect(browserWasm).toEqual({ kernels: 'wasm', ...inNode });
      expect(browserJs).toEqual({ kernels: 'js', ...inNode });
    });
  }

  it('all nine probes report the same bits in Node and Chromium, with the wasm statistics and with the JS loops', async () => {
    const { page, errors } = await openPage();
    const inBrowser = (passes: 'wasm' | 'js') =>
      page.evaluate(([s, p]) => (window as unknown as { runProbed(s: unknown, p: string): unknown }).runProbed(s, p), [
        PROBED,
        passes,
      ] as const);
    const browserWasm = await inBrowser('wasm');
    const browserJs = await inBrowser('js');
    await page.close();

    expect(useSimdPasses('wasm').passes).toBe('wasm');
    const node = train(PROBED, { registry: createRegistry().use(standard).use(probes) });
    useSimdPasses('auto');
    const inNode = JSON.stringify({ reports: node.reports, findings: node.findings }, reportHex);
    expect(errors).toEqual([]);
    expect(Object.keys(node.reports)).toHaveLength(9);
    expect(browserWasm).toEqual({ passes: 'wasm', reports: inNode });
    expect(browserJs).toEqual({ passes: 'js', reports: inNode });
  });

  it("a Content-Security-Policy without 'wasm-unsafe-eval' gets the JavaScript kernels and statistics, with it wasm", async () => {
    const status = async (scriptSrc: string) => {
      const { page } = await openPage(`/csp/${scriptSrc}`);
      const s = await page.evaluate(() => {
        const w = window as unknown as { kernelStatus(): object; statsPasses(): object };
        return { ...w.kernelStatus(), stats: w.statsPasses() };
      });
      await page.close();
      return s;
    };
    expect(await status("'self' 'unsafe-inline'")).toMatchObject({
      active: 'js',
      reason: expect.stringMatching(/WebAssembly could not be compiled here/),
      stats: { passes: 'js', reason: expect.stringMatching(/WebAssembly could not be compiled here/) },
    });
    expect(await status("'self' 'unsafe-inline' 'wasm-unsafe-eval'")).toEqual({
      requested: 'auto',
      active: 'wasm',
      stats: { passes: 'wasm', reason: '' },
    });
    expect(kernelStatus().active).toBe('wasm');
  });
});
