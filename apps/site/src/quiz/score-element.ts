/**
 * <quiz-score>: the page's score (or, with data-site, every page's) from stored progress, updated
 * after every graded answer, plus the store's notices (corrupt or outdated progress set aside,
 * storage unavailable). Test hooks: data-earned, data-possible, data-answered.
 */
import { scoreSite } from '@gradlab/quiz';
import { progressStore } from './progress-client.ts';

interface PageList {
  readonly page: string;
  readonly title: string;
  readonly path?: string;
  readonly questions: readonly { id: string; points: number }[];
}

const round = (x: number) => String(Math.round(x * 100) / 100);

class QuizScore extends HTMLElement {
  connectedCallback() {
    const pages = JSON.parse(this.querySelector('script.quiz-pages')!.textContent!) as PageList[];
    const text = this.querySelector<HTMLElement>('.quiz-score-text')!;
    const notice = this.querySelector<HTMLElement>('.quiz-notice')!;
    const table = this.querySelector<HTMLTableSectionElement>('tbody');
    const draw = () => {
      const store = progressStore();
      const site = scoreSite(store.data, pages);
      this.dataset.earned = String(site.earned);
      this.dataset.possible = String(site.possible);
      this.dataset.answered = String(site.answered);
      text.textContent =
        pages.length === 1
          ? `Your score on this page: ${round(site.earned)} of ${site.possible} (${site.answered} of ${site.total} questions answered).`
          : `Your score on the whole site: ${round(site.earned)} of ${site.possible} (${site.answered} of ${site.total} questions answered).`;
      if (table) {
        table.replaceChildren(
          ...site.pages.map((p, i) => {
            const tr = document.createElement('tr');
            const th = document.createElement('th');
            th.scope = 'row';
            const a = document.createElement('a');
            a.href = pages[i].path ?? '#';
            a.textContent = pages[i].title;
            th.append(pages[i].path ? a : pages[i].title);
            tr.append(th);
            for (const v of [`${round(p.earned)} / ${p.possible}`, `${p.answered} / ${p.total}`, String(p.correct)]) {
              const td = document.createElement('td');
              td.textContent = v;
              tr.append(td);
            }
            tr.dataset.page = p.page;
            return tr;
          }),
        );
      }
      const notices = store.notices.map((n) => n.message);
      notice.hidden = notices.length === 0;
      notice.textContent = notices.join(' ');
      this.dataset.notices = String(notices.length);
    };
    document.addEventListener('gradlab:quiz-change', draw);
    draw();
    this.dataset.ready = 'true';
  }
}

customElements.define('quiz-score', QuizScore);
