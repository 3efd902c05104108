/** Bounded step history: what a probe keeps for its report without growing with the run. */
import { type Num, num } from './report-numbers.ts';

/** The last `size` items pushed (oldest first), in a ring: pushing never moves the others. */
export class Window<T> {
  private readonly items: T[] = [];
  private readonly size: number;
  /** Index of the oldest item once the ring is full. */
  private start = 0;
  constructor(size: number) {
    this.size = Math.max(1, size);
  }
  push(item: T): void {
    if (this.items.length < this.size) this.items.push(item);
    else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.size;
    }
  }
  get last(): T | undefined {
    return this.items.length < this.size ? this.items.at(-1) : this.items[(this.start + this.size - 1) % this.size];
  }
  toArray(): T[] {
    return this.items.slice(this.start).concat(this.items.slice(0, this.start));
  }
}

/**
 * The last `size` steps of a probe as rows of `width` numbers, in one Float64Array used as a
 * ring (grown by doubling up to `size` rows), plus an optional object per row for the rare
 * extras (histograms, rnn fields). Once grown, recording a step allocates nothing; probes build
 * their report objects from the rows only in `report()`.
 */
export class History<E = never> {
  private readonly size: number;
  width = 0;
  /** The rows; replaced when the ring grows, so read it after {@link push}. */
  data = new Float64Array(0);
  /** Per physical row: its extra object, if any. */
  readonly extras: (E | undefined)[] = [];
  private capacity = 0;
  private start = 0;
  /** Rows held. */
  length = 0;
  constructor(size: number) {
    this.size = Math.max(1, size);
  }
  /** Drop every row and hold rows of `width` numbers from now on. */
  reset(width: number): void {
    this.width = width;
    this.data = new Float64Array(0);
    this.extras.length = 0;
    this.capacity = 0;
    this.start = 0;
    this.length = 0;
  }
  /** Add a row (dropping the oldest once `size` are held); returns its physical row index. */
  push(): number {
    if (this.length < this.size) {
      if (this.length === this.capacity) {
        // Not full yet, so the ring has not wrapped: rows 0 … length−1 are in order.
        this.capacity = Math.min(this.size, Math.max(8, this.capacity * 2));
        const data = new Float64Array(this.capacity * this.width);
        data.set(this.data);
        this.data = data;
      }
      return this.length++;
    }
    const row = this.start;
    this.start = (this.start + 1) % this.capacity;
    return row;
  }
  /** Physical row index of the i-th oldest row. */
  row(i: number): number {
    return (this.start + i) % this.capacity;
  }
  /** `count` numbers of physical row `row` from column `column`, non-finite ones as null. */
  nums(row: number, column: number, count: number): Num[] {
    const out = new Array<Num>(count);
    const at = row * this.width + column;
    for (let k = 0; k < count; k++) out[k] = num(this.data[at + k]);
    return out;
  }
  /**
   * Rows laid out as `step, field₀ × perLayer, field₁ × perLayer, …`, oldest first, as records
   * `{ step, [field]: Num[] }` for a report.
   */
  records<K extends string>(fields: readonly K[], perLayer: number): ({ step: number } & Record<K, Num[]>)[] {
    const out: ({ step: number } & Record<K, Num[]>)[] = [];
    for (let i = 0; i < this.length; i++) {
      const row = this.row(i);
      const record = { step: this.data[row * this.width] } as { step: number } & Record<K, Num[]>;
      fields.forEach((field, f) => {
        (record as Record<K, Num[]>)[field] = this.nums(row, 1 + f * perLayer, perLayer);
      });
      out.push(record);
    }
    return out;
  }
}
