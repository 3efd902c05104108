/**
 * The answer inputs of each question type, built as DOM from the question's data, with the functions
 * that read a response from them and write a saved response back. Native controls only (radios,
 * checkboxes, text, range, select, buttons), so every type works with the keyboard and a screen reader;
 * nothing submits while the arrow keys move through a radio group or a slider.
 */
import { describeTolerance, formatNumber, type Instantiated, type Response } from '@gradlab/quiz';
import type { ControlDef } from '../lab/state.ts';
import type { QuestionData } from './load.ts';

export interface Inputs {
  readonly root: HTMLElement;
  read(): Response | undefined;
  write(r: Response | undefined): void;
  /** Lab controls of a goal question, read separately from the response. */
  readSetting?(): Record<string, number | string>;
}

type El = HTMLElement;
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...children);
  return el;
}

function choiceGroup(
  name: string,
  kind: 'radio' | 'checkbox',
  options: readonly { id: string; label: string }[],
  legend?: string,
) {
  const list = h('div', { class: 'quiz-options', role: kind === 'radio' ? 'radiogroup' : 'group' });
  if (legend) list.setAttribute('aria-label', legend);
  for (const o of options) {
    const id = `${name}-${o.id}`;
    list.append(
      h(
        'div',
        { class: 'quiz-option' },
        h('input', { type: kind, name, id, value: o.id }),
        h('label', { for: id }, o.label),
      ),
    );
  }
  const checked = () => [...list.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
  const set = (ids: readonly string[]) => {
    for (const i of list.querySelectorAll<HTMLInputElement>('input')) i.checked = ids.includes(i.value);
  };
  return { list, checked, set };
}

function orderList(items: readonly { id: string; label: string }[], announce: (s: string) => void) {
  let order = items.map((i) => i.id);
  const list = h('ol', { class: 'quiz-order' });
  const label = (id: string) => items.find((i) => i.id === id)?.label ?? id;
  const draw = (focus?: { id: string; dir: 'up' | 'down' }) => {
    list.replaceChildren(
      ...order.map((id, i) =>
        h(
          'li',
          { 'data-item': id },
          h('span', { class: 'quiz-order-label' }, label(id)),
          h(
            'button',
            {
              type: 'button',
              class: 'quiz-move',
              'data-dir': 'up',
              'aria-label': `Move “${label(id)}” up`,
              disabled: i === 0,
              'data-edge': i === 0 ? 'true' : undefined,
            },
            '↑',
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'quiz-move',
              'data-dir': 'down',
              'aria-label': `Move “${label(id)}” down`,
              disabled: i === order.length - 1,
              'data-edge': i === order.length - 1 ? 'true' : undefined,
            },
            '↓',
          ),
        ),
      ),
    );
    if (focus) {
      const li = list.querySelector<El>(`li[data-item="${focus.id}"]`);
      const btn =
        li?.querySelector<HTMLButtonElement>(`button[data-dir="${focus.dir}"]:not([disabled])`) ??
        li?.querySelector<HTMLButtonElement>('button:not([disabled])');
      btn?.focus();
    }
  };
  list.addEventListener('click', (e) => {
    const btn = (e.target as El).closest<HTMLButtonElement>('button.quiz-move');
    if (!btn || btn.disabled) return;
    const id = btn.closest<El>('li')!.dataset.item!;
    const dir = btn.dataset.dir as 'up' | 'down';
    const i = order.indexOf(id);
    const j = dir === 'up' ? i - 1 : i + 1;
    [order[i], order[j]] = [order[j], order[i]];
    order = [...order];
    draw({ id, dir });
    announce(`“${label(id)}” is now ${j + 1} of ${order.length}.`);
    list.dispatchEvent(new Event('input', { bubbles: true }));
  });
  draw();
  return {
    list,
    get: () => order,
    set: (ids: readonly string[]) => {
      if (ids.length === order.length && ids.every((id) => order.includes(id))) {
        order = [...ids];
        draw();
      }
    },
  };
}

function controlField(uid: string, c: ControlDef, value: number | string): HTMLElement {
  const id = `${uid}-${c.name}`;
  if (c.kind === 'select') {
    const sel = h('select', { id, name: c.name });
    for (const o of c.options)
      sel.append(h('option', { value: o.value, selected: String(value) === o.value }, o.label));
    return h('div', { class: 'quiz-field' }, h('label', { for: id }, c.label), sel);
  }
  const out = h('output', { for: id }, String(value));
  const input = h('input', {
    id,
    name: c.name,
    type: 'range',
    min: String(c.min),
    max: String(c.max),
    step: String(c.step),
    value: String(value),
  });
  input.addEventListener('input', () => (out.value = input.value));
  return h('div', { class: 'quiz-field' }, h('label', { for: id }, c.label), input, out);
}

/** The lab controls of a goal or re-run diagnose question, and a reader of the setting they make. */
function labControls(uid: string, lab: NonNullable<QuestionData['lab']>) {
  const form = h('div', { class: 'quiz-controls' });
  for (const c of lab.controls) form.append(controlField(uid, c, lab.preset[c.name] ?? ''));
  const read = () => {
    const s: Record<string, number | string> = { ...lab.preset };
    for (const c of lab.controls) {
      const el = form.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${c.name}"]`)!;
      s[c.name] = c.kind === 'range' || (c.kind === 'select' && c.numeric) ? Number(el.value) : el.value;
    }
    return s;
  };
  return { form, read };
}

/** Builds the inputs of `q` (the learner's variant) inside a new element. */
export function buildInputs(uid: string, q: Instantiated, data: QuestionData, announce: (s: string) => void): Inputs {
  const root = h('div', { class: 'quiz-inputs' });
  switch (q.type) {
    case 'single':
    case 'multiple': {
      const g = choiceGroup(uid, q.type === 'single' ? 'radio' : 'checkbox', q.options);
      if (q.type === 'multiple') root.append(h('p', { class: 'quiz-help' }, 'Choose every option that applies.'));
      root.append(g.list);
      return {
        root,
        read: () => {
          const c = g.checked();
          if (!c.length) return undefined;
          return q.type === 'single' ? { type: 'single', choice: c[0] } : { type: 'multiple', choices: c };
        },
        write: (r) => g.set(r?.type === 'single' ? [r.choice] : r?.type === 'multiple' ? r.choices : []),
      };
    }
    case 'numeric': {
      const id = `${uid}-value`;
      const input = h('input', {
        id,
        type: 'text',
        inputmode: 'decimal',
        autocomplete: 'off',
        spellcheck: 'false',
        'aria-describedby': `${id}-help`,
      });
      root.append(
        h(
          'div',
          { class: 'quiz-field' },
          h('label', { for: id }, 'Your answer'),
          input,
          q.unit ? h('span', {}, q.unit) : '',
        ),
        h(
          'p',
          { class: 'quiz-help', id: `${id}-help` },
          `Graded ${describeTolerance(q.tolerance)}. Write 0.0625, 6.25e-2 or 6.25×10^-2.`,
        ),
      );
      return {
        root,
        read: () => (input.value.trim() ? { type: 'numeric', text: input.value } : undefined),
        write: (r) => (input.value = r?.type === 'numeric' ? r.text : ''),
      };
    }
    case 'ordering': {
      const o = orderList(q.items, announce);
      root.append(
        h('p', { class: 'quiz-help' }, 'Put the items in order with the arrow buttons (first = top).'),
        o.list,
      );
      return {
        root,
        read: () => ({ type: 'ordering', order: o.get() }),
        write: (r) => r?.type === 'ordering' && o.set(r.order),
      };
    }
    case 'matching': {
      const selects = q.prompts.map((p) => {
        const id = `${uid}-${p.id}`;
        const sel = h('select', { id, name: p.id }, h('option', { value: '' }, 'Choose…'));
        for (const c of q.choices) sel.append(h('option', { value: c.id }, c.label));
        root.append(h('div', { class: 'quiz-field quiz-match' }, h('label', { for: id }, p.label), sel));
        return sel;
      });
      return {
        root,
        read: () => {
          const pairs: Record<string, string> = {};
          for (const s of selects) if (s.value) pairs[s.name] = s.value;
          return Object.keys(pairs).length ? { type: 'matching', pairs } : undefined;
        },
        write: (r) => {
          for (const s of selects) s.value = r?.type === 'matching' ? (r.pairs[s.name] ?? '') : '';
        },
      };
    }
    case 'predict': {
      if (q.input === 'choice') {
        const g = choiceGroup(uid, 'radio', q.bins ?? []);
        root.append(g.list);
        return {
          root,
          read: () => (g.checked()[0] ? { type: 'predict', bin: g.checked()[0] } : undefined),
          write: (r) => g.set(r?.type === 'predict' && r.bin ? [r.bin] : []),
        };
      }
      if (q.input === 'log-slider') {
        const [lo, hi] = q.slider ?? [-6, 6];
        const id = `${uid}-decades`;
        const input = h('input', {
          id,
          type: 'range',
          min: String(lo),
          max: String(hi),
          step: '0.1',
          value: String((lo + hi) / 2),
        });
        const out = h('output', { for: id });
        const show = () => (out.value = `10^${input.value} ≈ ${formatNumber(10 ** Number(input.value))}`);
        input.addEventListener('input', show);
        show();
        root.append(
          h('div', { class: 'quiz-field' }, h('label', { for: id }, 'Your prediction (log scale)'), input, out),
        );
        let touched = false;
        input.addEventListener('input', () => (touched = true));
        return {
          root,
          read: () => (touched ? { type: 'predict', decades: Number(input.value) } : undefined),
          write: (r) => {
            if (r?.type === 'predict' && r.decades !== undefined) {
              input.value = String(r.decades);
              touched = true;
              show();
            }
          },
        };
      }
      const id = `${uid}-value`;
      const input = h('input', { id, type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false' });
      root.append(h('div', { class: 'quiz-field' }, h('label', { for: id }, 'Your prediction'), input));
      return {
        root,
        read: () => (input.value.trim() ? { type: 'predict', text: input.value } : undefined),
        write: (r) => (input.value = r?.type === 'predict' ? (r.text ?? '') : ''),
      };
    }
    case 'goal': {
      const lab = labControls(uid, data.lab!);
      root.append(lab.form);
      return { root, read: () => ({ type: 'goal' }), write: () => undefined, readSetting: lab.read };
    }
    case 'diagnose': {
      if (data.rerun) {
        // The fix is graded on a re-run: name the pathology, change the controls, run (quiz-element.ts).
        const p = choiceGroup(`${uid}-p`, 'radio', q.options, 'Pathology');
        const lab = labControls(uid, data.lab!);
        root.append(
          h('p', { class: 'quiz-help' }, 'What is wrong?'),
          p.list,
          h('p', { class: 'quiz-help' }, 'Fix it with these controls (same seed), then run your fix:'),
          lab.form,
        );
        return {
          root,
          read: () => (p.checked()[0] ? { type: 'diagnose', pathology: p.checked()[0] } : undefined),
          write: (r) => p.set(r?.type === 'diagnose' ? [r.pathology] : []),
          readSetting: lab.read,
        };
      }
      const d = data.dashboard!;
      const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
      const table = h(
        'table',
        { class: 'quiz-dashboard' },
        h('caption', {}, 'The seeded run at its first step, per hidden layer'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Layer', '‖δ‖ (‖∂L/∂z‖)', 'dead units', 'saturated'].map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        h(
          'tbody',
          {},
          ...d.deltaNorm.map((x, i) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, String(i + 1)),
              h('td', {}, x === null ? 'NaN' : x >= 1e-3 && x < 1e4 ? formatNumber(x) : x.toExponential(2)),
              h('td', {}, pct(d.dead[i])),
              h('td', {}, pct(d.saturation[i])),
            ),
          ),
        ),
      );
      const p = choiceGroup(`${uid}-p`, 'radio', q.options, 'Pathology');
      const f = q.fixes ? choiceGroup(`${uid}-f`, 'radio', q.fixes, 'Fix') : undefined;
      root.append(
        h('div', { class: 'quiz-table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Dashboard' }, table),
        h('p', { class: 'quiz-help' }, 'What is wrong?'),
        p.list,
      );
      if (f) root.append(h('p', { class: 'quiz-help' }, 'Which change fixes it (same seed)?'), f.list);
      return {
        root,
        read: () =>
          p.checked()[0]
            ? { type: 'diagnose', pathology: p.checked()[0], ...(f?.checked()[0] ? { fix: f.checked()[0] } : {}) }
            : undefined,
        write: (r) => {
          p.set(r?.type === 'diagnose' ? [r.pathology] : []);
          f?.set(r?.type === 'diagnose' && r.fix ? [r.fix] : []);
        },
      };
    }
  }
}

/** Disables or enables every form control inside `root` (answer inputs lock after grading). */
export function setLocked(root: HTMLElement, locked: boolean): void {
  for (const el of root.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>(
    'input, select, button.quiz-move',
  ))
    el.disabled = locked || (el.classList.contains('quiz-move') && el.dataset.edge === 'true');
}
