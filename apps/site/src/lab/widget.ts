/**
 * <lab-widget>: the client half of a widget rendered by LabWidget.astro. The server-rendered
 * controls, SVG figure, table and summary are the no-JS page; this element restores the controls
 * from the URL (with a notice for values it rejects), asks the shared worker for numbers on every
 * change (latest request wins), draws them with uPlot, and keeps the URL, tables, summaries, command
 * and spec download in step. Test hooks: data-state, data-run-id, data-result (JSON numbers), and
 * the performance measure 'lab:latency' (control change → chart drawn).
 */
import { createBoundaryChart } from './boundary-canvas.ts';
import { type Chart, createChart, warmCharts, yieldToMain } from './chart.ts';
import { labClient, type Outcome, playgroundClient, type TrainingHandle } from './client.ts';
import { commandPieces, reproduceCommand } from './command.ts';
import type { InitOptions } from './init-options.ts';
import {
  type JobKind,
  type JobResult,
  type PlaygroundResult,
  type Setting,
  STREAMING_JOBS,
  type TrainResult,
} from './protocol.ts';
import {
  applicableSetting,
  applies,
  type ControlDef,
  clearState,
  formatValue,
  parseState,
  writeState,
} from './state.ts';
import { fmt, predictedNumbers, primaryNumbers, tableCells, type ViewData, type ViewDef, viewData } from './views.ts';

export interface WidgetConfig {
  readonly id: string;
  readonly job: JobKind;
  readonly controls: readonly ControlDef[];
  readonly viewControls: readonly string[];
  readonly preset: Setting;
  readonly views: readonly ViewDef[];
  readonly specFile: string;
  /** Which `init…` settings each initializer takes (only with such controls): the `--init id:option=value` flag. */
  readonly initOptions?: InitOptions;
}

class LabWidget extends HTMLElement {
  #config!: WidgetConfig;
  #form!: HTMLFormElement;
  #charts: Chart[] = [];
  #result: JobResult | null = null;
  #setting: Setting = {};
  #training: TrainingHandle | null = null;
  #specUrl = '';
  /** The latest run's spec, turned into the download link's Blob only when the link is about to be used. */
  #spec: unknown = undefined;
  /** A two-phase run's second spec (`a.spec2`, for `gradlab run … --weights`), made a Blob the same way. */
  #spec2: unknown = undefined;
  #spec2Url = '';
  /** The run whose result the charts show (the tables follow a task later). */
  #shown = 0;

  connectedCallback() {
    this.#config = JSON.parse(this.querySelector('script.lab-config')!.textContent!) as WidgetConfig;
    this.#form = this.querySelector('form.controls')!;
    const { setting, notices } = parseState(
      new URLSearchParams(location.search),
      this.#config.id,
      this.#config.controls,
      this.#config.preset,
    );
    this.#setting = setting;
    this.#writeControls();
    this.#notice(notices.length ? `This link had settings the lab cannot use: ${notices.join(' ')}` : '');
    // A boundary view draws on a canvas of its own; every other view is a uPlot chart.
    if (this.#config.views.some((v) => v.type !== 'boundary')) warmCharts();
    this.#charts = [...this.querySelectorAll<HTMLElement>('.chart')].map((host, i) =>
      this.#config.views[i]?.type === 'boundary' ? createBoundaryChart(host) : createChart(host),
    );
    const hosts = [...this.querySelectorAll<HTMLElement>('.chart')];
    new ResizeObserver(() => {
      for (const [i, h] of hosts.entries()) this.#charts[i].resize(h.clientWidth);
    }).observe(this);
    this.#form.addEventListener('input', (e) => this.#onInput(e.target as HTMLInputElement));
    this.#form.addEventListener('submit', (e) => e.preventDefault());
    this.querySelector('button.reset')?.addEventListener('click', () => this.#reset());
    this.querySelector('button.run')?.addEventListener('click', () => this.#compute());
    this.querySelector('button.pause')?.addEventListener('click', (e) =>
      this.#togglePause(e.target as HTMLButtonElement),
    );
    this.querySelector('button.cancel')?.addEventListener('click', () => this.#training?.cancel());
    const specLink = this.querySelector<HTMLAnchorElement>('a.spec');
    // Focus covers the keyboard, pointerdown the mouse (before click, middle click and the context menu).
    const spec2Link = this.querySelector<HTMLAnchorElement>('a.spec2');
    for (const type of ['focus', 'pointerdown', 'click']) {
      specLink?.addEventListener(type, () => this.#materializeSpec(specLink));
      spec2Link?.addEventListener(type, () => this.#materializeSpec2(spec2Link));
    }
    this.dataset.state = 'idle';
    if (!this.#streams || notices.length || this.#differsFromPreset()) this.#compute();
  }

  /** Training jobs stream progress and wait for "Run" when the page opens on their preset. */
  get #streams() {
    return STREAMING_JOBS.includes(this.#config.job);
  }

  #differsFromPreset() {
    return this.#config.controls.some((c) => this.#setting[c.name] !== this.#config.preset[c.name]);
  }

  #field(name: string) {
    return this.#form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  }

  #writeControls() {
    for (const c of this.#config.controls) {
      const el = this.#field(c.name);
      if (el) el.value = String(this.#setting[c.name]);
      this.#writeOutput(c);
    }
    this.#writeApplicable();
  }

  /** Controls that do not apply to the current choice (α with ReLU) are disabled and not sent to the job. */
  #writeApplicable() {
    for (const c of this.#config.controls) {
      const el = this.#field(c.name);
      if (el && c.appliesWhen) el.disabled = !applies(c, this.#setting);
    }
  }

  #writeOutput(c: ControlDef) {
    const out = this.#form.querySelector<HTMLOutputElement>(`output[data-for="${c.name}"]`);
    if (out) out.value = formatValue(c, this.#setting[c.name]);
  }

  #onInput(el: HTMLInputElement | HTMLSelectElement) {
    const c = this.#config.controls.find((x) => x.name === el.name);
    if (!c) return;
    const value = c.kind === 'range' || c.numeric ? Number(el.value) : el.value;
    this.#setting = { ...this.#setting, [c.name]: value };
    this.#writeOutput(c);
    this.#writeApplicable();
    if (this.#config.viewControls.includes(c.name)) {
      this.#writeUrl();
      const result = this.#result;
      if (result) void this.#draw(result).then(() => this.#renderTables(result));
      return;
    }
    // A probe's URL is written once its result is drawn (#finish): history.replaceState sends the page's
    // state (~19 KB on page 0) to the browser process, whose work, with the renderer's, took the worker's
    // CPU while it computed on a 2-core machine (compute ~2× that of the same worker posted to directly).
    if (this.#streams) this.#writeUrl();
    else this.#urlPending = true;
    this.#compute();
  }

  #urlPending = false;
  /** The setting of the latest probe request whose command is not written yet (see #compute). */
  #reproducePending: Setting | null = null;
  #writePendingReproduce() {
    if (this.#reproducePending) this.#updateReproduce(this.#reproducePending);
    this.#reproducePending = null;
  }

  #writeUrl() {
    this.#urlPending = false;
    const q = new URLSearchParams(location.search);
    writeState(q, this.#config.id, this.#config.controls, this.#setting);
    history.replaceState(history.state, '', `?${q}${location.hash}`);
  }

  #reset() {
    this.#urlPending = false; // a change's URL still waiting for its result: reset clears it instead
    this.#setting = { ...this.#config.preset };
    this.#writeControls();
    const q = new URLSearchParams(location.search);
    clearState(q, this.#config.id, this.#config.controls);
    const query = q.toString();
    history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
    this.#notice('');
    this.#compute();
  }

  #notice(text: string) {
    const el = this.querySelector<HTMLElement>('.notice')!;
    el.textContent = text;
    el.hidden = !text;
  }

  #busy(state: string) {
    this.dataset.state = state;
    this.toggleAttribute('aria-busy', state === 'busy' || state === 'running');
  }

  #compute() {
    const client = this.#config.job === 'playground' ? playgroundClient() : labClient();
    const id = client.nextId();
    performance.mark(`lab:change#${id}`);
    const setting = applicableSetting(this.#setting, this.#config.controls);
    if (this.#streams) {
      this.#updateReproduce(setting); // a run streams for seconds: its command now
      this.#training?.cancel();
      this.querySelector('button.pause')?.setAttribute('aria-pressed', 'false');
      this.#busy('running');
      const progress = this.querySelector<HTMLProgressElement>('progress');
      const job = this.#config.job === 'playground' ? 'playground' : 'train';
      const handle = client.train(
        setting,
        (r) => {
          performance.mark('lab:progress', { detail: { id: handle.id, steps: r.loss.length } });
          // A cancelled run's last messages can still arrive after the next one started: only the
          // current run moves the bar and the charts.
          if (this.#training !== handle) return;
          if (progress) {
            progress.max = r.totalSteps;
            progress.value = r.loss.length;
          }
          this.#drawProgress(r);
        },
        job,
      );
      this.#training = handle;
      void handle.done.then((o) => this.#finish(o, handle.id));
      return;
    }
    // A probe's command is written with its result (#finish), like its URL: laying out and painting the new
    // text while the worker computes took CPU from it on a 2-core machine (decision 0049).
    this.#reproducePending = setting;
    this.#busy('busy');
    const job = this.#config.job as Exclude<JobKind, 'train' | 'playground'>; // not streaming (#streams above)
    void client.run(this.#config.id, job, setting).then((o) => this.#finish(o, id));
  }

  async #finish(o: Outcome, id: number) {
    if (o.status === 'superseded') return;
    if (o.status !== 'ok' && this.#urlPending) this.#writeUrl();
    if (o.status !== 'ok') this.#writePendingReproduce();
    if (this.#streams && this.#training?.id !== id) return;
    if (o.status === 'cancelled') {
      this.#busy('cancelled');
      return;
    }
    if (o.status === 'error') {
      const el = this.querySelector<HTMLElement>('.error')!;
      el.textContent = `${o.name}: ${o.message}`;
      el.hidden = false;
      this.#busy('error');
      return;
    }
    this.querySelector<HTMLElement>('.error')!.hidden = true;
    this.#shown = id;
    const t0 = performance.now();
    await this.#draw(o.result);
    const drawMs = performance.now() - t0;
    performance.mark(`lab:drawn#${id}`);
    performance.measure('lab:latency', {
      start: `lab:change#${id}`,
      end: `lab:drawn#${id}`,
      detail: { id, widget: this.#config.id, computeMs: o.computeMs, drawMs },
    });
    if (this.#urlPending) this.#writeUrl();
    this.#writePendingReproduce();
    // The number tables (hundreds of cells for a training run) in a task of their own, after the charts.
    await yieldToMain();
    if (this.#shown !== id) return; // a newer result was drawn meanwhile: its tables and state win
    this.#renderTables(o.result);
    this.#updateSpec(o.result.spec);
    this.#updateSpec2(o.result.kind === 'train' ? o.result.phases?.spec2 : undefined);
    this.dataset.result = JSON.stringify(primaryNumbers(o.result));
    this.dataset.predicted = JSON.stringify(predictedNumbers(o.result));
    this.dataset.runId = String(id);
    this.#busy('ready');
  }

  #frame = 0;
  #latest: TrainResult | PlaygroundResult | null = null;
  /** When the charts were last redrawn during a run (see #drawProgress). */
  #chartsAt = Number.NEGATIVE_INFINITY;

  /** Progress draws the charts only, at most once per animation frame; tables and the spoken summary wait for the end. */
  #drawProgress(r: TrainResult | PlaygroundResult) {
    this.#latest = r;
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      const latest = this.#latest;
      if (!latest || this.dataset.state !== 'running') return;
      // The progress bar and status follow every frame; the charts at most ten times a second (four
      // beside a decision boundary, the playground's, which is redrawn every frame). In software
      // rendering each redrawn canvas costs ~10 ms of the frame's commit; redrawing every chart every
      // frame made 40–70 ms frames that held back the next progress messages (decision 0048).
      const now = performance.now();
      const boundary = latest.kind === 'playground';
      const charts = now - this.#chartsAt >= (boundary ? 250 : 100);
      if (charts) this.#chartsAt = now;
      this.#config.views.forEach((v, i) => {
        if (!charts && v.type !== 'boundary') return;
        this.querySelectorAll('figure.view')[i].querySelector('.static-figure')?.remove();
        void this.#charts[i].draw(viewData(v, latest, this.#setting));
      });
      this.#trainStatus(latest);
    });
  }

  async #draw(result: JobResult) {
    this.#result = result;
    const figures = [...this.querySelectorAll<HTMLElement>('figure.view')];
    await Promise.all(
      this.#config.views.map((v, i) => {
        const d = viewData(v, result, this.#setting);
        const fig = figures[i];
        fig.querySelector('.static-figure')?.remove();
        fig.querySelector('.summary')!.textContent = d.summary;
        fig.querySelector('figcaption .text')!.textContent = d.caption;
        fig.querySelector('.chart')!.setAttribute('aria-label', `${d.caption} ${d.summary}`);
        return this.#charts[i].draw(d);
      }),
    );
    if (result.kind === 'train' || result.kind === 'playground') this.#trainStatus(result);
  }

  #renderTables(result: JobResult) {
    const figures = [...this.querySelectorAll<HTMLElement>('figure.view')];
    for (const [i, v] of this.#config.views.entries())
      this.#renderTable(figures[i], viewData(v, result, this.#setting));
  }

  #renderTable(fig: HTMLElement, d: ViewData) {
    const table = fig.querySelector('table.numbers')!; // scoped: uPlot's legend is a table too
    const { head, rows } = tableCells(d);
    const headRow = document.createElement('tr');
    for (const label of head)
      headRow.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: label }));
    table.querySelector('thead')!.replaceChildren(headRow);
    table.querySelector('tbody')!.replaceChildren(
      ...rows.map(([label, ...cells]) => {
        const tr = document.createElement('tr');
        tr.append(
          Object.assign(document.createElement('th'), { scope: 'row', textContent: label }),
          ...cells.map((c) => Object.assign(document.createElement('td'), { textContent: c })),
        );
        return tr;
      }),
    );
  }

  #trainStatus(r: TrainResult | PlaygroundResult) {
    const el = this.querySelector<HTMLElement>('.train-status');
    if (!el) return;
    const acc =
      r.kind === 'playground' && r.accuracy.train !== null
        ? ` Accuracy at step ${r.accuracy.step}: ${(100 * r.accuracy.train).toFixed(1)} % training, ${r.accuracy.test === null ? '–' : `${(100 * r.accuracy.test).toFixed(1)} %`} test.`
        : '';
    el.textContent = r.stopped
      ? `Stopped by the non-finite sentinel at step ${r.stopped.step}.${acc}`
      : `${r.loss.length} of ${r.totalSteps} steps; loss ${fmt(r.loss[r.loss.length - 1])}.${acc}`;
  }

  #togglePause(button: HTMLButtonElement) {
    // A finished (or cancelled) run has nothing to pause: its state stays as it is.
    if (!this.#training || !['running', 'paused'].includes(this.dataset.state ?? '')) return;
    const paused = button.getAttribute('aria-pressed') === 'true';
    if (paused) this.#training.resume();
    else this.#training.pause();
    button.setAttribute('aria-pressed', String(!paused));
    this.#busy(paused ? 'running' : 'paused');
  }

  #updateReproduce(s: Setting) {
    const el = this.querySelector('.command');
    if (!el) return;
    const pieces = commandPieces(
      reproduceCommand(this.#config.job, s, this.#config.specFile, this.#config.initOptions),
    );
    // As LabWidget.astro renders it: one inline block per piece, single spaces between them.
    el.replaceChildren(
      ...pieces.flatMap((piece, i) => {
        const span = document.createElement('span');
        span.textContent = piece;
        return i > 0 ? [' ', span] : [span];
      }),
    );
  }

  /**
   * Records the run's spec for the download link. Serializing it on every result cost a long task after
   * load (decision 0044), so the Blob is made when the link gets focus, a pointer or a click.
   */
  #updateSpec(spec: unknown) {
    this.#spec = spec;
  }

  /** Shows phase 2's download while the run has two phases; its Blob waits for use, as the first one's. */
  #updateSpec2(spec: unknown) {
    const p = this.querySelector<HTMLElement>('p.spec2');
    if (!p) return;
    p.hidden = spec === undefined;
    this.#spec2 = spec;
  }

  #materializeSpec2(a: HTMLAnchorElement) {
    if (this.#spec2 === undefined) return;
    if (this.#spec2Url) URL.revokeObjectURL(this.#spec2Url);
    this.#spec2Url = URL.createObjectURL(
      new Blob([`${JSON.stringify(this.#spec2, null, 2)}\n`], { type: 'application/json' }),
    );
    this.#spec2 = undefined;
    a.href = this.#spec2Url;
  }

  #materializeSpec(a: HTMLAnchorElement) {
    if (this.#spec === undefined) return; // the link already holds the latest spec (or the build-time file)
    if (this.#specUrl) URL.revokeObjectURL(this.#specUrl);
    this.#specUrl = URL.createObjectURL(
      new Blob([`${JSON.stringify(this.#spec, null, 2)}\n`], { type: 'application/json' }),
    );
    this.#spec = undefined;
    a.href = this.#specUrl;
  }
}

customElements.define('lab-widget', LabWidget);
