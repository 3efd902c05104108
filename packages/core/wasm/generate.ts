/**
 * Generates `kernels.wat`: float64 SIMD (f64x2) versions of the matrix kernels in
 * `src/matrix.ts`, with exactly their semantics (the element-wise passes of a step stay in
 * JavaScript: decision 0045).
 *
 * Bit-identity with the JavaScript kernels holds by construction:
 * - SIMD lanes always run across *output* entries (columns of C), never along the summed
 *   dimension, so every entry of C is one sum in index order started from +0, as in JS;
 * - only `f64x2.mul`, `f64x2.add`/`sub` and their scalar `f64` forms are used: each is one
 *   correctly rounded IEEE-754 operation, exactly like JS `*`, `+`, `-`; no FMA, no relaxed SIMD;
 * - a sum is added to C after it is complete (C + s, or s + C for gemmNT's accumulate, as in JS);
 *   gemmAdd and gemmTNAdd given a row `init` (a bias, or +0 for a fresh gradient) add it to init's
 *   entry instead, init + s, which is what JS computes after setting C's rows to init (decision 0054).
 * Only NaN payload bits may differ (which NaN propagates when two meet is not specified).
 *
 * Register tiles (rows × columns of C) follow the trial (decision 0023): 2×8 for gemmAdd, 4×4 for
 * gemmTNAdd and gemmNT (more accumulators spill: V8 has 15 allocatable xmm registers). Leftover
 * columns take 2-wide and scalar tiles, leftover rows 1×2 and 1×1 tiles only: fewer variants keep
 * the module at ~10 KB (the site's worker carries it), and leftovers are a small share of the work.
 * `generateWat(tiles)` builds other tiles for experiments. Measured 2026-12-07 (thread CPU time,
 * load 12–18, 64³ and 256³, each bit-identical to the JS kernels): gemmTNAdd 2×8, 3×6, 5×4;
 * gemmNT 2×8, 3×6, 3×4; gemmAdd 3×8, 3×6, 4×4. None beat the tiles above beyond the ±10% the
 * load leaves; gemmAdd 3×8 lost 40–50% and gemmNT 2×8 20–30% (their registers spill).
 * Unrolling the full tiles' step loops by 2 or 4 (constant strides folded into load offsets, half
 * or a quarter of the pointer bumps and branches) changed nothing measurable either (2026-12-07,
 * wall clock at load 0.4, 32³–256³, within ±1%): the loops are bound by the core's multiply and
 * add ports, and bench/src/ceiling.ts times that bound in the same run (decision 0058).
 *
 * gemmTNAdd reads A and B down their columns: each step of the sum loads 32 bytes from a row of
 * A and 32 from a row of B, rows `ld` bytes apart. With 256-wide rows (2 KB) all those rows fall
 * into 2 of L1's 64 sets and evict each other, so the 4×4 tile ran at ~18 GF/s on 128×256×256
 * and 256³ against ~24 at 64³. Given scratch memory, it first copies A's 4-column and B's
 * 4-column panels into contiguous blocks (as BLAS packs), and the full tiles read two sequential
 * streams: ~23–25 GF/s there (thread CPU time, same process, decision 0030). Packing costs a pass
 * over A and B, more than it saves on narrow operands, so the caller passes scratch only for wide
 * ones (src/wasm/kernels.ts). Packed or not, every entry is summed in the same order.
 * gemmNT likewise, given scratch, first stores B's rows transposed in 4-row panels, so the 2×2
 * in-register transposes are done once instead of once per band of A's rows, and its full tiles
 * become broadcast loops like gemmAdd's: ~20 → ~22–23 GF/s from 32 rows of A on (with 4–8 rows
 * the packing costs more than it saves).
 * gemmAdd walks B down its rows too (64 bytes a step, rows `ldb` apart): at 256 wide it ran at
 * ~18 GF/s against ~21 at 64³, at 512 wide ~9. Given scratch, it packs B's 8-column panels and
 * runs every band of A's rows against one panel (16 KB at 256 steps) while it sits in L1: ~21
 * at 128×256×256 and 256³, ~20 at 128×512×512 (decision 0052; panels inside bands, as
 * gemmTNAdd does, read the same at 256 wide but 17 at 512, the whole packed B streaming from L2).
 *
 * Run: `node wasm/generate.ts` (writes wasm/kernels.wat), then `node wasm/assemble.ts`.
 * Addresses and leading dimensions are passed in bytes by src/wasm/kernels.ts.
 */
import { writeFileSync } from 'node:fs';

type Lines = string[];
const indent = (lines: Lines, by = '  ') => lines.map((l) => by + l);

/** Runs `band` for each full band of `tileRows` rows (i = 0, tileRows, … while i + tileRows ≤ the local `rows`); i is left at the first row not done. */
function bandLoop(tileRows: number, rows: string, band: Lines): Lines {
  return [
    '(local.set $i (i32.const 0))',
    '(block $bandsDone (loop $bands',
    `  (br_if $bandsDone (i32.gt_s (i32.add (local.get $i) (i32.const ${tileRows})) (local.get ${rows})))`,
    ...indent(band),
    `  (local.set $i (i32.add (local.get $i) (i32.const ${tileRows})))`,
    '  (br $bands)))',
  ];
}

/**
 * A "broadcast" product: C[rows×cols] += Σ_t A(row, t) · B[t][col], where A(row, t) is at
 * a + row·aRow + t·aStep and B[t][col] at b + t·ldb + 8·col. gemmAdd has aRow = lda, aStep = 8;
 * gemmTNAdd (C = Aᵀ·B) has aRow = 8, aStep = lda. One of the two is the constant 8, which the
 * generator folds into load offsets.
 */
function broadcastKernel(
  name: string,
  transposedA: boolean,
  tileRows: number,
  tileVecs: number,
  packed = false,
): Lines {
  const locals = new Set<string>();
  const v128 = new Set<string>();
  const f64 = new Set<string>();
  const L = (n: string) => {
    locals.add(n);
    return `(local.get $${n})`;
  };

  function tile(rows: number, vecs: number /* 0 = one scalar column */, panels = false, nextJ = true): Lines {
    const out: Lines = [];
    const cols = vecs === 0 ? 1 : 2 * vecs;
    // The full tile of a packed band reads the panels packed at the start (see packPanels).
    const fromPanels = panels && rows === tileRows && vecs === tileVecs;
    // gemmTNAdd packs A's column panels as well as B's; gemmAdd reads A's rows where they are.
    const packedA = fromPanels && transposedA;
    // Row pointers: for gemmAdd one per row (rows are lda apart), for TN one pointer (rows are 8 apart).
    const ptrs = transposedA ? 1 : rows;
    if (packedA) {
      locals.add('ap0');
      out.push(`(local.set $ap0 (i32.add ${L('sa')} (i32.shl (i32.mul ${L('i')} ${L('steps')}) (i32.const 3))))`);
    } else {
      for (let r = 0; r < ptrs; r++) {
        locals.add(`ap${r}`);
        out.push(
          rows === tileRows
            ? `(local.set $ap${r} ${L(`ar${r}`)})`
            : `(local.set $ap${r} (i32.add ${L('arow')} (i32.mul (i32.const ${r}) ${L('aRowStride')})))`,
        );
      }
    }
    if (fromPanels) {
      out.push(`(local.set $bp (i32.add ${L('sb')} (i32.shl (i32.mul ${L('j')} ${L('steps')}) (i32.const 3))))`);
    } else {
      out.push(`(local.set $bp (i32.add ${L('b')} (i32.shl ${L('j')} (i32.const 3))))`);
    }
    for (let r = 0; r < rows; r++) {
      for (let v = 0; v < Math.max(vecs, 1); v++) {
        if (vecs === 0) {
          f64.add(`s${r}`);
          out.push(`(local.set $s${r} (f64.const 0))`);
        } else {
          v128.add(`acc${r}_${v}`);
          out.push(`(local.set $acc${r}_${v} (v128.const f64x2 0 0))`);
        }
      }
    }
    out.push(`(local.set $t ${L('steps')})`);
    const body: Lines = [];
    for (let v = 0; v < vecs; v++) {
      v128.add(`b${v}`);
      body.push(`(local.set $b${v} (v128.load offset=${16 * v} (local.get $bp)))`);
    }
    if (vecs === 0) {
      f64.add('bs');
      body.push('(local.set $bs (f64.load (local.get $bp)))');
    }
    for (let r = 0; r < rows; r++) {
      const [ptr, off] = transposedA ? ['ap0', 8 * r] : [`ap${r}`, 0];
      if (vecs === 0) {
        body.push(
          `(local.set $s${r} (f64.add (local.get $s${r}) (f64.mul (f64.load offset=${off} (local.get $${ptr})) (local.get $bs))))`,
        );
        continue;
      }
      v128.add('x');
      body.push(`(local.set $x (v128.load64_splat offset=${off} (local.get $${ptr})))`);
      for (let v = 0; v < vecs; v++) {
        body.push(
          `(local.set $acc${r}_${v} (f64x2.add (local.get $acc${r}_${v}) (f64x2.mul (local.get $x) (local.get $b${v}))))`,
        );
      }
    }
    if (packedA) {
      body.push(`(local.set $ap0 (i32.add (local.get $ap0) (i32.const ${8 * rows})))`);
    } else {
      for (let r = 0; r < ptrs; r++) {
        body.push(`(local.set $ap${r} (i32.add (local.get $ap${r}) ${L('aStepStride')}))`);
      }
    }
    body.push(`(local.set $bp (i32.add (local.get $bp) ${fromPanels ? `(i32.const ${8 * cols})` : L('ldb')}))`);
    body.push('(br_if $steps (local.tee $t (i32.sub (local.get $t) (i32.const 1))))');
    out.push(`(if (local.get $t) (then (loop $steps`, ...indent(body, '    '), '  )))');
    // C = start + sum, entry by entry (C + s as in JS), where start is C's entry or, given a row
    // `init` (bias, zeros), init's entry: JS sets C's rows to init first, so the sums are the same.
    locals.add('lp');
    locals.add('ip');
    out.push('(local.set $ip (i32.add (local.get $init) (i32.shl (local.get $j) (i32.const 3))))');
    for (let r = 0; r < rows; r++) {
      locals.add('cp');
      out.push(
        rows === tileRows
          ? `(local.set $cp (i32.add ${L(`cr${r}`)} (i32.shl ${L('j')} (i32.const 3))))`
          : `(local.set $cp (i32.add (i32.add ${L('c')} (i32.mul (i32.add ${L('i')} (i32.const ${r})) ${L('ldc')})) (i32.shl ${L('j')} (i32.const 3))))`,
        '(local.set $lp (select (local.get $ip) (local.get $cp) (local.get $init)))',
      );
      if (vecs === 0) {
        out.push(`(f64.store (local.get $cp) (f64.add (f64.load (local.get $lp)) (local.get $s${r})))`);
      }
      for (let v = 0; v < vecs; v++) {
        out.push(
          `(v128.store offset=${16 * v} (local.get $cp) (f64x2.add (v128.load offset=${16 * v} (local.get $lp)) (local.get $acc${r}_${v})))`,
        );
      }
    }
    if (nextJ) out.push(`(local.set $j (i32.add (local.get $j) (i32.const ${cols})))`);
    return out;
  }

  /**
   * A full band's A row pointers and C row addresses, once per band instead of once per tile: a
   * tile of a 64-step sum is short, and its set-up counts (gemmNT 64³ +2%, decision 0058).
   */
  function bandPointers(rows: number): Lines {
    if (rows !== tileRows) return [];
    const out: Lines = [];
    for (let r = 0; r < (transposedA ? 1 : rows); r++) {
      locals.add(`ar${r}`);
      out.push(`(local.set $ar${r} (i32.add ${L('arow')} (i32.mul (i32.const ${r}) ${L('aRowStride')})))`);
    }
    for (let r = 0; r < rows; r++) {
      locals.add(`cr${r}`);
      out.push(`(local.set $cr${r} (i32.add ${L('c')} (i32.mul (i32.add ${L('i')} (i32.const ${r})) ${L('ldc')})))`);
    }
    return out;
  }

  /**
   * Every column tile for `rows` rows starting at row i: wide tiles, then narrower ones; or, from
   * column `leftover` on (fewer columns than a wide tile), the narrower ones only.
   */
  function rowBand(rows: number, panels = false, leftover?: string): Lines {
    const out: Lines = [
      `(local.set $j ${leftover ?? '(i32.const 0)'})`,
      `(local.set $arow (i32.add ${L('a')} (i32.mul ${L('i')} ${L('aRowStride')})))`,
      ...bandPointers(rows),
    ];
    const widths = (rows === 1 ? [1, 0] : [tileVecs, ...[1].filter((v) => v < tileVecs), 0]).filter(
      (v) => !leftover || v !== tileVecs,
    );
    for (const vecs of widths) {
      const cols = vecs === 0 ? 1 : 2 * vecs;
      out.push(
        `(block $done${vecs} (loop $cols${vecs}`,
        `  (br_if $done${vecs} (i32.gt_s (i32.add (local.get $j) (i32.const ${cols})) ${L('cols')}))`,
        ...indent(tile(rows, vecs, panels)),
        `  (br $cols${vecs})))`,
      );
    }
    return out;
  }

  /**
   * Copies `width`-entry pieces of `steps` rows (`ld` bytes apart) from `src` + 8·first, for
   * first = 0, width, … < full, into panels at `dst`: panel f holds its rows back to back
   * (8·width bytes apart) at dst + 8·f·steps. The tile loop then reads two sequential streams
   * instead of two strided ones (rows 2 KB apart map to a few L1 sets and evict each other).
   */
  function packPanels(src: string, ld: string, dst: string, full: string, width: number): Lines {
    const copy: Lines = [];
    for (let o = 0; o + 1 < width; o += 2) {
      copy.push(`(v128.store offset=${8 * o} (local.get $pd) (v128.load offset=${8 * o} (local.get $ps)))`);
    }
    if (width % 2) {
      const o = width - 1;
      copy.push(`(f64.store offset=${8 * o} (local.get $pd) (f64.load offset=${8 * o} (local.get $ps)))`);
    }
    locals.add('pf');
    locals.add('ps');
    locals.add('pd');
    return [
      '(local.set $pf (i32.const 0))',
      '(block $packed (loop $panels',
      `  (br_if $packed (i32.ge_s (local.get $pf) ${L(full)}))`,
      `  (local.set $ps (i32.add ${L(src)} (i32.shl (local.get $pf) (i32.const 3))))`,
      `  (local.set $pd (i32.add ${L(dst)} (i32.shl (i32.mul (local.get $pf) ${L('steps')}) (i32.const 3))))`,
      `  (local.set $t ${L('steps')})`,
      '  (if (local.get $t) (then (loop $rows',
      ...indent(
        [
          ...copy,
          `(local.set $ps (i32.add (local.get $ps) ${L(ld)}))`,
          `(local.set $pd (i32.add (local.get $pd) (i32.const ${8 * width})))`,
          '(br_if $rows (local.tee $t (i32.sub (local.get $t) (i32.const 1))))',
        ],
        '    ',
      ),
      '  )))',
      `  (local.set $pf (i32.add (local.get $pf) (i32.const ${width})))`,
      '  (br $panels)))',
    ];
  }

  const tileCols = 2 * tileVecs;
  const bands = (band: Lines): Lines => bandLoop(tileRows, '$rows', band);
  /**
   * gemmAdd, packed: panels outer. Each packed B panel (tileCols columns × all steps, 16 KB for 256
   * steps) is read by every band of rows in turn while it sits in L1; only A's rows stream.
   * Then the leftover columns (fewer than tileCols) of every full band, unpacked.
   */
  const panelsFirst = (): Lines => [
    '(local.set $j (i32.const 0))',
    '(block $panelsDone (loop $panelCols',
    `  (br_if $panelsDone (i32.ge_s (local.get $j) ${L('nFull')}))`,
    ...indent(
      bands([
        `(local.set $arow (i32.add ${L('a')} (i32.mul ${L('i')} ${L('aRowStride')})))`,
        ...bandPointers(tileRows),
        ...tile(tileRows, tileVecs, true, false),
      ]),
    ),
    `  (local.set $j (i32.add (local.get $j) (i32.const ${tileCols})))`,
    '  (br $panelCols)))',
    ...bands(rowBand(tileRows, false, '(local.get $nFull)')),
  ];
  // Packed kernels pack when given scratch memory (the caller decides: it pays off on wide operands only).
  const main = !packed
    ? bands(rowBand(tileRows))
    : !transposedA
      ? [`(if ${L('scratch')} (then`, ...indent(panelsFirst()), ') (else', ...indent(bands(rowBand(tileRows))), '))']
      : bands([
          `(if ${L('scratch')} (then`,
          ...indent(rowBand(tileRows, true)),
          ') (else',
          ...indent(rowBand(tileRows)),
          '))',
        ]);
  const rest = rowBand(1);
  // Packed: with a transposed A, A's column panels (tileRows wide) at scratch, B's (tileCols wide)
  // after them; gemmAdd reads A's rows in place and packs B's panels only, at scratch.
  const pack = packed
    ? [
        '(if (local.get $scratch) (then',
        ...(transposedA
          ? [`(local.set $kFull (i32.sub ${L('rows')} (i32.rem_u (local.get $rows) (i32.const ${tileRows}))))`]
          : []),
        `(local.set $nFull (i32.sub ${L('cols')} (i32.rem_u (local.get $cols) (i32.const ${tileCols}))))`,
        ...(transposedA
          ? [
              `(local.set $sa ${L('scratch')})`,
              `(local.set $sb (i32.add (local.get $sa) (i32.shl (i32.mul ${L('kFull')} ${L('steps')}) (i32.const 3))))`,
              ...packPanels('a', 'lda', 'sa', 'kFull', tileRows),
            ]
          : [`(local.set $sb ${L('scratch')})`]),
        ...packPanels('b', 'ldb', 'sb', 'nFull', tileCols),
        '))',
      ]
    : [];
  if (packed) locals.add('nFull');
  const body = [
    ...pack,
    // gemmAdd: aRowStride = lda, aStepStride = 8; gemmTNAdd: aRowStride = 8, aStepStride = lda.
    `(local.set $aRowStride ${transposedA ? '(i32.const 8)' : '(local.get $lda)'})`,
    `(local.set $aStepStride ${transposedA ? '(local.get $lda)' : '(i32.const 8)'})`,
    ...main,
    '(block $restDone (loop $rest',
    '  (br_if $restDone (i32.ge_s (local.get $i) (local.get $rows)))',
    ...indent(rest),
    '  (local.set $i (i32.add (local.get $i) (i32.const 1)))',
    '  (br $rest)))',
  ];
  const params = ['a', 'lda', 'b', 'ldb', 'c', 'ldc', 'rows', 'steps', 'cols', ...(packed ? ['scratch'] : []), 'init'];
  for (const p of params) locals.delete(p);
  locals.add('bp');
  locals.add('t');
  return [
    `(func (export "${name}") ${params.map((p) => `(param $${p} i32)`).join(' ')}`,
    ...indent([
      ...[...locals].sort().map((l) => `(local $${l} i32)`),
      ...[...v128].sort().map((l) => `(local $${l} v128)`),
      ...[...f64].sort().map((l) => `(local $${l} f64)`),
      ...body,
    ]),
    ')',
  ];
}

/**
 * gemmNT: C[i][p] = Σ_j A[i][j]·B[p][j] (+ C[i][p] after the sum when accumulating).
 * Output columns are rows of B: two B rows × two j are loaded and transposed in registers, so
 * lane q of a vector holds column p+q and each lane still sums along j in order.
 */
function ntKernel(tileRows: number, tileVecs: number, packed = false): Lines {
  const i32 = new Set<string>(['bp', 't', 'cp']);
  const v128 = new Set<string>();
  const f64 = new Set<string>();

  function tile(rows: number, vecs: number /* 0 = one scalar column */, panels = false): Lines {
    const out: Lines = [];
    const bRows = vecs === 0 ? 1 : 2 * vecs;
    // The full tile of a packed band reads B's transposed panel (see packTransposed): a broadcast
    // loop like gemmAdd's, one j per step, so each lane still sums along j in order.
    const fromPanels = panels && rows === tileRows && vecs === tileVecs;
    for (let r = 0; r < rows; r++) {
      i32.add(`ap${r}`);
      if (rows === tileRows) {
        i32.add(`ar${r}`);
        out.push(`(local.set $ap${r} (local.get $ar${r}))`);
      } else out.push(`(local.set $ap${r} (i32.add (local.get $arow) (i32.mul (i32.const ${r}) (local.get $lda))))`);
    }
    for (let q = 0; q < (fromPanels ? 0 : bRows); q++) {
      i32.add(`bq${q}`);
      out.push(
        `(local.set $bq${q} (i32.add (local.get $b) (i32.mul (i32.add (local.get $p) (i32.const ${q})) (local.get $ldb))))`,
      );
    }
    const accs: string[] = [];
    for (let r = 0; r < rows; r++) {
      for (let v = 0; v < Math.max(vecs, 1); v++) {
        const name = vecs === 0 ? `s${r}` : `acc${r}_${v}`;
        (vecs === 0 ? f64 : v128).add(name);
        accs.push(name);
        out.push(`(local.set $${name} ${vecs === 0 ? '(f64.const 0)' : '(v128.const f64x2 0 0)'})`);
      }
    }
    const advance = (bytes: number): Lines => [
      ...Array.from(
        { length: rows },
        (_, r) => `(local.set $ap${r} (i32.add (local.get $ap${r}) (i32.const ${bytes})))`,
      ),
      ...Array.from(
        { length: bRows },
        (_, q) => `(local.set $bq${q} (i32.add (local.get $bq${q}) (i32.const ${bytes})))`,
      ),
    ];
    // Pairs of j: transpose 2×2 blocks of B so lanes run along p.
    const pair: Lines = [];
    const single: Lines = [];
    if (vecs === 0) {
      f64.add('bs');
      single.push('(local.set $bs (f64.load (local.get $bq0)))');
      for (let r = 0; r < rows; r++) {
        single.push(
          `(local.set $s${r} (f64.add (local.get $s${r}) (f64.mul (f64.load (local.get $ap${r})) (local.get $bs))))`,
        );
      }
    } else {
      v128.add('x');
      for (let v = 0; v < vecs; v++) {
        v128.add(`lo${v}`);
        v128.add(`hi${v}`);
        v128.add('r0');
        v128.add('r1');
        pair.push(
          `(local.set $r0 (v128.load (local.get $bq${2 * v})))`,
          `(local.set $r1 (v128.load (local.get $bq${2 * v + 1})))`,
          `(local.set $lo${v} (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r0) (local.get $r1)))`,
          `(local.set $hi${v} (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r0) (local.get $r1)))`,
        );
        single.push(
          `(local.set $lo${v} (v128.load64_lane 1 (local.get $bq${2 * v + 1}) (v128.load64_zero (local.get $bq${2 * v}))))`,
        );
      }
      for (let r = 0; r < rows; r++) {
        for (const [half, off] of [
          ['lo', 0],
          ['hi', 8],
        ] as const) {
          pair.push(`(local.set $x (v128.load64_splat offset=${off} (local.get $ap${r})))`);
          for (let v = 0; v < vecs; v++) {
            pair.push(
              `(local.set $acc${r}_${v} (f64x2.add (local.get $acc${r}_${v}) (f64x2.mul (local.get $x) (local.get $${half}${v}))))`,
            );
          }
        }
        single.push(`(local.set $x (v128.load64_splat (local.get $ap${r})))`);
        for (let v = 0; v < vecs; v++) {
          single.push(
            `(local.set $acc${r}_${v} (f64x2.add (local.get $acc${r}_${v}) (f64x2.mul (local.get $x) (local.get $lo${v}))))`,
          );
        }
      }
    }
    if (fromPanels) {
      const step: Lines = [];
      for (let v = 0; v < vecs; v++) step.push(`(local.set $lo${v} (v128.load offset=${16 * v} (local.get $bp)))`);
      for (let r = 0; r < rows; r++) {
        step.push(`(local.set $x (v128.load64_splat (local.get $ap${r})))`);
        for (let v = 0; v < vecs; v++) {
          step.push(
            `(local.set $acc${r}_${v} (f64x2.add (local.get $acc${r}_${v}) (f64x2.mul (local.get $x) (local.get $lo${v}))))`,
          );
        }
        step.push(`(local.set $ap${r} (i32.add (local.get $ap${r}) (i32.const 8)))`);
      }
      out.push(
        '(local.set $bp (i32.add (local.get $sb) (i32.shl (i32.mul (local.get $p) (local.get $n)) (i32.const 3))))',
        '(local.set $t (local.get $n))',
        '(if (local.get $t) (then (loop $panel',
        ...indent(
          [
            ...step,
            `(local.set $bp (i32.add (local.get $bp) (i32.const ${8 * bRows})))`,
            '(br_if $panel (local.tee $t (i32.sub (local.get $t) (i32.const 1))))',
          ],
          '    ',
        ),
        '  )))',
      );
    } else if (vecs === 0) {
      out.push(
        '(local.set $t (local.get $n))',
        '(if (local.get $t) (then (loop $js',
        ...indent(
          [...single, ...advance(8), '(br_if $js (local.tee $t (i32.sub (local.get $t) (i32.const 1))))'],
          '    ',
        ),
        '  )))',
      );
    } else {
      out.push(
        '(local.set $t (i32.shr_u (local.get $n) (i32.const 1)))',
        '(if (local.get $t) (then (loop $pairs',
        ...indent(
          [...pair, ...advance(16), '(br_if $pairs (local.tee $t (i32.sub (local.get $t) (i32.const 1))))'],
          '    ',
        ),
        '  )))',
        '(if (i32.and (local.get $n) (i32.const 1)) (then',
        ...indent(single, '    '),
        '  ))',
      );
    }
    for (let r = 0; r < rows; r++) {
      out.push(
        rows === tileRows
          ? `(local.set $cp (i32.add (local.get $cr${r}) (i32.shl (local.get $p) (i32.const 3))))`
          : `(local.set $cp (i32.add (i32.add (local.get $c) (i32.mul (i32.add (local.get $i) (i32.const ${r})) (local.get $ldc))) (i32.shl (local.get $p) (i32.const 3))))`,
      );
      if (vecs === 0) {
        out.push(
          `(if (local.get $accumulate) (then (local.set $s${r} (f64.add (local.get $s${r}) (f64.load (local.get $cp))))))`,
          `(f64.store (local.get $cp) (local.get $s${r}))`,
        );
      }
      for (let v = 0; v < vecs; v++) {
        out.push(
          `(if (local.get $accumulate) (then (local.set $acc${r}_${v} (f64x2.add (local.get $acc${r}_${v}) (v128.load offset=${16 * v} (local.get $cp))))))`,
          `(v128.store offset=${16 * v} (local.get $cp) (local.get $acc${r}_${v}))`,
        );
      }
    }
    out.push(`(local.set $p (i32.add (local.get $p) (i32.const ${bRows})))`);
    return out;
  }

  function rowBand(rows: number, panels = false): Lines {
    const out: Lines = [
      '(local.set $p (i32.const 0))',
      '(local.set $arow (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda))))',
    ];
    if (rows === tileRows) {
      for (let r = 0; r < rows; r++) {
        i32.add(`ar${r}`);
        i32.add(`cr${r}`);
        out.push(
          `(local.set $ar${r} (i32.add (local.get $arow) (i32.mul (i32.const ${r}) (local.get $lda))))`,
          `(local.set $cr${r} (i32.add (local.get $c) (i32.mul (i32.add (local.get $i) (i32.const ${r})) (local.get $ldc))))`,
        );
      }
    }
    const widths = rows === 1 ? [1, 0] : [tileVecs, ...[1].filter((v) => v < tileVecs), 0];
    for (const vecs of widths) {
      const cols = vecs === 0 ? 1 : 2 * vecs;
      out.push(
        `(block $done${vecs} (loop $cols${vecs}`,
        `  (br_if $done${vecs} (i32.gt_s (i32.add (local.get $p) (i32.const ${cols})) (local.get $k)))`,
        ...indent(tile(rows, vecs, panels)),
        `  (br $cols${vecs})))`,
      );
    }
    return out;
  }
  i32.add('i');
  i32.add('p');
  i32.add('arow');
  /**
   * Given scratch memory, B's rows p … p+W−1 (W = the tile's columns, for p < kFull) are first
   * stored transposed, panel by panel at sb + 8·p·n: entry j of the panel holds B[p..p+W−1][j]
   * side by side. The 2×2 transposes the unpacked tile redoes for every band of A's rows are then
   * done once. Packing only moves data.
   */
  function packTransposed(): Lines {
    const w = 2 * tileVecs;
    for (const l of ['pf', 'pd', 'kFull', 'sb']) i32.add(l);
    v128.add('r0');
    v128.add('r1');
    const pairs: Lines = [];
    for (let q = 0; q < w; q += 2) {
      pairs.push(
        `(local.set $r0 (v128.load (local.get $bq${q})))`,
        `(local.set $r1 (v128.load (local.get $bq${q + 1})))`,
        `(v128.store offset=${8 * q} (local.get $pd) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r0) (local.get $r1)))`,
        `(v128.store offset=${8 * (w + q)} (local.get $pd) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r0) (local.get $r1)))`,
      );
    }
    const advance = (bytes: number) =>
      Array.from({ length: w }, (_, q) => `(local.set $bq${q} (i32.add (local.get $bq${q}) (i32.const ${bytes})))`);
    return [
      `(local.set $kFull (i32.sub (local.get $k) (i32.rem_u (local.get $k) (i32.const ${w}))))`,
      '(local.set $sb (local.get $scratch))',
      '(local.set $pf (i32.const 0))',
      '(block $packed (loop $panels',
      '  (br_if $packed (i32.ge_s (local.get $pf) (local.get $kFull)))',
      ...indent(
        Array.from({ length: w }, (_, q) => {
          i32.add(`bq${q}`);
          return `(local.set $bq${q} (i32.add (local.get $b) (i32.mul (i32.add (local.get $pf) (i32.const ${q})) (local.get $ldb))))`;
        }),
      ),
      '  (local.set $pd (i32.add (local.get $sb) (i32.shl (i32.mul (local.get $pf) (local.get $n)) (i32.const 3))))',
      '  (local.set $t (i32.shr_u (local.get $n) (i32.const 1)))',
      '  (if (local.get $t) (then (loop $pairs',
      ...indent(
        [
          ...pairs,
          ...advance(16),
          `(local.set $pd (i32.add (local.get $pd) (i32.const ${16 * w})))`,
          '(br_if $pairs (local.tee $t (i32.sub (local.get $t) (i32.const 1))))',
        ],
        '    ',
      ),
      '  )))',
      '  (if (i32.and (local.get $n) (i32.const 1)) (then',
      ...indent(
        Array.from(
          { length: w },
          (_, q) => `(f64.store offset=${8 * q} (local.get $pd) (f64.load (local.get $bq${q})))`,
        ),
        '    ',
      ),
      '  ))',
      `  (local.set $pf (i32.add (local.get $pf) (i32.const ${w})))`,
      '  (br $panels)))',
    ];
  }

  // Packed kernels pack when given scratch memory (the caller decides where it pays off).
  const main = packed
    ? [
        '(if (local.get $scratch) (then',
        ...indent(rowBand(tileRows, true)),
        ') (else',
        ...indent(rowBand(tileRows)),
        '))',
      ]
    : rowBand(tileRows);
  const rest = rowBand(1);
  const body = [
    ...(packed ? ['(if (local.get $scratch) (then', ...indent(packTransposed()), '))'] : []),
    ...bandLoop(tileRows, '$m', main),
    '(block $restDone (loop $rest',
    '  (br_if $restDone (i32.ge_s (local.get $i) (local.get $m)))',
    ...indent(rest),
    '  (local.set $i (i32.add (local.get $i) (i32.const 1)))',
    '  (br $rest)))',
  ];
  const params = ['a', 'lda', 'b', 'ldb', 'c', 'ldc', 'm', 'n', 'k', 'accumulate', ...(packed ? ['scratch'] : [])];
  return [
    `(func (export "gemmNT") ${params.map((p) => `(param $${p} i32)`).join(' ')}`,
    ...indent([
      ...[...i32].sort().map((l) => `(local $${l} i32)`),
      ...[...v128].sort().map((l) => `(local $${l} v128)`),
      ...[...f64].sort().map((l) => `(local $${l} f64)`),
      ...body,
    ]),
    ')',
  ];
}

/** Register tiles (rows of C, f64x2 vectors of columns) per kernel; see the file comment. */
export interface Tiles {
  readonly gemmAdd: readonly [rows: number, vecs: number];
  readonly gemmTNAdd: readonly [rows: number, vecs: number];
  readonly gemmNT: readonly [rows: number, vecs: number];
  /** gemmTNAdd packs A's and B's panels into scratch memory first (an extra `scratch` byte address). */
  readonly packTN?: boolean;
  /** gemmAdd packs B's column panels into scratch memory first and walks them outermost (an extra `scratch` byte address). */
  readonly packAdd?: boolean;
  /** gemmNT stores B's row panels transposed into scratch memory first (an extra `scratch` byte address). */
  readonly packNT?: boolean;
}
export const TILES: Tiles = {
  gemmAdd: [2, 4],
  gemmTNAdd: [4, 2],
  gemmNT: [4, 2],
  packAdd: true,
  packTN: true,
  packNT: true,
};

/** The module's text; `tiles` other than {@link TILES} only for experiments (the committed module uses TILES). */
export function generateWat(tiles: Tiles = TILES): string {
  return [
    ';; Generated by wasm/generate.ts: do not edit. f64x2 kernels bit-identical to src/matrix.ts.',
    '(module',
    ...indent([
      '(memory (export "memory") 1)',
      ...broadcastKernel('gemmAdd', false, ...tiles.gemmAdd, tiles.packAdd),
      ...broadcastKernel('gemmTNAdd', true, ...tiles.gemmTNAdd, tiles.packTN),
      ...ntKernel(...tiles.gemmNT, tiles.packNT),
    ]),
    ')',
    '',
  ].join('\n');
}

if (import.meta.main) {
  writeFileSync(new URL('./kernels.wat', import.meta.url), generateWat());
}
