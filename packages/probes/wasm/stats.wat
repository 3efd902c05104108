;; SIMD passes of the probes' step statistics (decision 0051), bit-identical to the JavaScript
;; loops they stand in for: every floating-point sum keeps its order, f64x2 lanes only carry sums
;; the JavaScript already kept apart (sumOfSquares' four, the moments' two), and counts are
;; integers (exact in any order). Only f64x2 sub/mul/add/abs/compare/pmax, their scalar forms and
;; the histogram tally's truncation to a slot: no FMA, no relaxed SIMD. The memory is imported
;; (decision 0060): an instance on a region of the engine's memory reads the tensors where they
;; are, results and scratch going to the region's free end; an instance on a memory of its own
;; gets each tensor copied in first (byte 64 on; bytes 0–63 hold results). Assembled by
;; wasm/assemble.ts into src/wasm/stats.generated.ts.
(module
  (import "m" "memory" (memory 1))

  ;; Σx² over n entries at byte $p, as vector-norms.ts' sumOfSquares: sum r takes the entries
  ;; i ≡ r (mod 4) in index order (lanes (s0, s1) and (s2, s3)), the last n mod 4 go to s0,
  ;; and the result is ((s0 + s1) + s2) + s3.
  (func $sumSquares (export "sumSquares") (param $p i32) (param $n i32) (result f64)
    (local $lo v128) (local $hi v128) (local $x v128) (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (v128.load (local.get $p)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (local.get $x) (local.get $x))))
        (local.set $x (v128.load offset=16 (local.get $p)))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (local.get $x) (local.get $x))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $four)))
    (call $finishSquares (local.get $p) (local.get $n) (local.get $lo) (local.get $hi)))

  ;; sumSquares of two tensors of n entries each (at $p and $q), interleaved: each tensor's sums
  ;; are chains of additions, so two tensors' chains overlap where one's wait. Each result is
  ;; sumSquares' in sumSquares' order; stores the first at $out, the second at $out + 8.
  (func (export "sumSquares2") (param $p i32) (param $q i32) (param $n i32) (param $out i32)
    (local $lo v128) (local $hi v128) (local $lo2 v128) (local $hi2 v128) (local $x v128) (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (v128.load (local.get $p)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (local.get $x) (local.get $x))))
        (local.set $x (v128.load (local.get $q)))
        (local.set $lo2 (f64x2.add (local.get $lo2) (f64x2.mul (local.get $x) (local.get $x))))
        (local.set $x (v128.load offset=16 (local.get $p)))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (local.get $x) (local.get $x))))
        (local.set $x (v128.load offset=16 (local.get $q)))
        (local.set $hi2 (f64x2.add (local.get $hi2) (f64x2.mul (local.get $x) (local.get $x))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (local.set $q (i32.add (local.get $q) (i32.const 32)))
        (br $four)))
    (f64.store (local.get $out) (call $finishSquares (local.get $p) (local.get $n) (local.get $lo) (local.get $hi)))
    (f64.store offset=8 (local.get $out) (call $finishSquares (local.get $q) (local.get $n) (local.get $lo2) (local.get $hi2))))

  ;; sumSquares' last n mod 4 entries (at $p, into s0 = lane 0 of $lo) and its result.
  (func $finishSquares (param $p i32) (param $n i32) (param $lo v128) (param $hi v128) (result f64)
    (local $s0 f64) (local $v f64) (local $end i32)
    (local.set $s0 (f64x2.extract_lane 0 (local.get $lo)))
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 3))))
    (block $tail
      (loop $one
        (br_if $tail (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (f64.load (local.get $p)))
        (local.set $s0 (f64.add (local.get $s0) (f64.mul (local.get $v) (local.get $v))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $one)))
    (f64.add
      (f64.add (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $lo))) (f64x2.extract_lane 0 (local.get $hi)))
      (f64x2.extract_lane 1 (local.get $hi))))

  ;; The sums of stats.ts' momentsInto for two tensors of n ≥ 1 entries each (a and z of a layer),
  ;; shifted by k = x[0]: per tensor, lanes (a0, a1) of Σd and (b0, b1) of Σd² take the even and
  ;; odd entries, a last odd entry goes to a0 and b0, and the first tensor's entries exactly ±0
  ;; are counted (f64x2.eq is false for NaN, like ===; a true lane is −1 as an i64, so subtracting
  ;; counts it): activation-stats reports a's zeros, not z's, so z's count stays 0 (a sixth fewer
  ;; operations per pair).
  ;; Each sum is a chain of additions; interleaved, one tensor's run while the other's wait on
  ;; their latency. Writes the first's five results at $out, the second's at $out + 40.
  (func (export "moments2") (param $p i32) (param $q i32) (param $n i32) (param $out i32)
    (local $kp v128) (local $kq v128) (local $ap v128) (local $bp v128) (local $zp v128)
    (local $aq v128) (local $bq v128) (local $zq v128) (local $x v128) (local $d v128) (local $end i32)
    (local.set $kp (f64x2.splat (f64.load (local.get $p))))
    (local.set $kq (f64x2.splat (f64.load (local.get $q))))
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $two
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (v128.load (local.get $p)))
        (local.set $d (f64x2.sub (local.get $x) (local.get $kp)))
        (local.set $ap (f64x2.add (local.get $ap) (local.get $d)))
        (local.set $bp (f64x2.add (local.get $bp) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $zp (i64x2.sub (local.get $zp) (f64x2.eq (local.get $x) (v128.const f64x2 0 0))))
        (local.set $x (v128.load (local.get $q)))
        (local.set $d (f64x2.sub (local.get $x) (local.get $kq)))
        (local.set $aq (f64x2.add (local.get $aq) (local.get $d)))
        (local.set $bq (f64x2.add (local.get $bq) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $two)))
    (call $finishMoments (local.get $p) (local.get $n) (local.get $kp) (local.get $ap) (local.get $bp) (local.get $zp) (local.get $out))
    (call $finishMoments (local.get $q) (local.get $n) (local.get $kq) (local.get $aq) (local.get $bq) (local.get $zq)
      (i32.add (local.get $out) (i32.const 40))))

  ;; A last odd entry (at $p when n is odd) goes to a0 and b0; then the five results are stored.
  (func $finishMoments (param $p i32) (param $n i32) (param $k v128) (param $a v128) (param $b v128) (param $zeros v128) (param $out i32)
    (local $a0 f64) (local $b0 f64) (local $v f64) (local $dk f64) (local $z i64)
    (local.set $a0 (f64x2.extract_lane 0 (local.get $a)))
    (local.set $b0 (f64x2.extract_lane 0 (local.get $b)))
    (local.set $z (i64.add (i64x2.extract_lane 0 (local.get $zeros)) (i64x2.extract_lane 1 (local.get $zeros))))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $v (f64.load (local.get $p)))
        (local.set $dk (f64.sub (local.get $v) (f64x2.extract_lane 0 (local.get $k))))
        (local.set $a0 (f64.add (local.get $a0) (local.get $dk)))
        (local.set $b0 (f64.add (local.get $b0) (f64.mul (local.get $dk) (local.get $dk))))
        (local.set $z (i64.add (local.get $z) (i64.extend_i32_u (f64.eq (local.get $v) (f64.const 0)))))))
    (f64.store (local.get $out) (local.get $a0))
    (f64.store offset=8 (local.get $out) (f64x2.extract_lane 1 (local.get $a)))
    (f64.store offset=16 (local.get $out) (local.get $b0))
    (f64.store offset=24 (local.get $out) (f64x2.extract_lane 1 (local.get $b)))
    (f64.store offset=32 (local.get $out) (f64.convert_i64_s (local.get $z))))

    ;; step-stats.ts' f′ scan over n entries at byte $p: returns how many |d| < $cut, and stores at
  ;; byte $out (i32) 1 when some |d| > $ceiling, else 0. Comparisons with NaN are false.
  (func (export "scan") (param $p i32) (param $n i32) (param $cut f64) (param $ceiling f64) (param $out i32) (result i32)
    (local $c v128) (local $t v128) (local $below v128) (local $above v128) (local $x v128)
    (local $count i32) (local $any i32) (local $v f64) (local $end i32)
    (local.set $c (f64x2.splat (local.get $cut)))
    (local.set $t (f64x2.splat (local.get $ceiling)))
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $two
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (f64x2.abs (v128.load (local.get $p))))
        (local.set $below (i64x2.sub (local.get $below) (f64x2.lt (local.get $x) (local.get $c))))
        (local.set $above (v128.or (local.get $above) (f64x2.gt (local.get $x) (local.get $t))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $two)))
    (local.set $count
      (i32.wrap_i64 (i64.add (i64x2.extract_lane 0 (local.get $below)) (i64x2.extract_lane 1 (local.get $below)))))
    (local.set $any (v128.any_true (local.get $above)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $v (f64.abs (f64.load (local.get $p))))
        (local.set $count (i32.add (local.get $count) (f64.lt (local.get $v) (local.get $cut))))
        (local.set $any (i32.or (local.get $any) (f64.gt (local.get $v) (local.get $ceiling))))))
    (i32.store (local.get $out) (local.get $any))
    (local.get $count))

  ;; step-stats.ts' update pass over W before the step (n entries at byte $u) and W after it (at
  ;; byte $w): u = W − before, the trace's ΔW formed here instead of in a pass of its own, is
  ;; stored at byte $d (for maxAbs' rare question: over the copy of `before`, or in scratch when
  ;; the tensors are read in place); Σu² in the four sums of sumOfSquares, and Σ(W − u)² in one
  ;; sum in index order. Writes both as f64 at $out.
  (func (export "updateSums") (param $u i32) (param $w i32) (param $d i32) (param $n i32) (param $out i32)
    (local $lo v128) (local $hi v128) (local $x v128) (local $y v128) (local $s f64) (local $end i32)
    (local.set $end (i32.add (local.get $u) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $u) (local.get $end)))
        (local.set $y (v128.load (local.get $w)))
        (local.set $x (f64x2.sub (local.get $y) (v128.load (local.get $u))))
        (v128.store (local.get $d) (local.get $x))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (local.get $x) (local.get $x))))
        (local.set $y (f64x2.sub (local.get $y) (local.get $x)))
        (local.set $y (f64x2.mul (local.get $y) (local.get $y)))
        (local.set $s (f64.add (f64.add (local.get $s) (f64x2.extract_lane 0 (local.get $y))) (f64x2.extract_lane 1 (local.get $y))))
        (local.set $y (v128.load offset=16 (local.get $w)))
        (local.set $x (f64x2.sub (local.get $y) (v128.load offset=16 (local.get $u))))
        (v128.store offset=16 (local.get $d) (local.get $x))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (local.get $x) (local.get $x))))
        (local.set $y (f64x2.sub (local.get $y) (local.get $x)))
        (local.set $y (f64x2.mul (local.get $y) (local.get $y)))
        (local.set $s (f64.add (f64.add (local.get $s) (f64x2.extract_lane 0 (local.get $y))) (f64x2.extract_lane 1 (local.get $y))))
        (local.set $u (i32.add (local.get $u) (i32.const 32)))
        (local.set $w (i32.add (local.get $w) (i32.const 32)))
        (local.set $d (i32.add (local.get $d) (i32.const 32)))
        (br $four)))
    ;; the last n mod 4 entries: Σu² goes on in s0 (lane 0 of $lo), as in sumSquares
    (call $finishUpdate (local.get $u) (local.get $w) (local.get $d) (local.get $n) (local.get $lo) (local.get $hi) (local.get $s) (local.get $out)))

  ;; The update sums of two layers (W before and after the step of one at $u and $w, of the
  ;; other at $v and $x, n entries each), interleaved: Σ(W − u)² is one chain of additions per
  ;; layer, so two layers' chains overlap where one layer's waits. Each layer's u (stored at $d and
  ;; $d2) and sums are updateSums' in updateSums' order; writes the first layer's two at $out, the
  ;; second's at $out + 16.
  (func (export "updateSums2") (param $u i32) (param $w i32) (param $v i32) (param $x i32) (param $d i32) (param $d2 i32)
    (param $n i32) (param $out i32)
    (local $lo v128) (local $hi v128) (local $lo2 v128) (local $hi2 v128) (local $t v128) (local $y v128)
    (local $s f64) (local $s2 f64) (local $end i32)
    (local.set $end (i32.add (local.get $u) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $u) (local.get $end)))
        (local.set $y (v128.load (local.get $w)))
        (local.set $t (f64x2.sub (local.get $y) (v128.load (local.get $u))))
        (v128.store (local.get $d) (local.get $t))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (local.get $t) (local.get $t))))
        (local.set $y (f64x2.sub (local.get $y) (local.get $t)))
        (local.set $y (f64x2.mul (local.get $y) (local.get $y)))
        (local.set $s (f64.add (f64.add (local.get $s) (f64x2.extract_lane 0 (local.get $y))) (f64x2.extract_lane 1 (local.get $y))))
        (local.set $y (v128.load (local.get $x)))
        (local.set $t (f64x2.sub (local.get $y) (v128.load (local.get $v))))
        (v128.store (local.get $d2) (local.get $t))
        (local.set $lo2 (f64x2.add (local.get $lo2) (f64x2.mul (local.get $t) (local.get $t))))
        (local.set $y (f64x2.sub (local.get $y) (local.get $t)))
        (local.set $y (f64x2.mul (local.get $y) (local.get $y)))
        (local.set $s2 (f64.add (f64.add (local.get $s2) (f64x2.extract_lane 0 (local.get $y))) (f64x2.extract_lane 1 (local.get $y))))
        (local.set $y (v128.load offset=16 (local.get $w)))
        (local.set $t (f64x2.sub (local.get $y) (v128.load offset=16 (local.get $u))))
        (v128.store offset=16 (local.get $d) (local.get $t))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (local.get $t) (local.get $t))))
        (local.set $y (f64x2.sub (local.get $y) (local.get $t)))
        (local.set $y (f64x2.mul (local.get $y) (local.get $y)))
        (local.set $s (f64.add (f64.add (local.get $s) (f64x2.extract_lane 0 (local.get $y))) (f64x2.extract_lane 1 (local.get $y))))
        (local.set $y (v128.load offset=16 (local.get $x)))
        (local.set $t (f64x2.sub (local.get $y) (v128.load offset=16 (local.get $v))))
        (v128.store offset=16 (local.get $d2) (local.get $t))
        (local.set $hi2 (f64x2.add (local.get $hi2) (f64x2.mul (local.get $t) (local.get $t))))
        (local.set $y (f64x2.sub (local.get $y) (local.get $t)))
        (local.set $y (f64x2.mul (local.get $y) (local.get $y)))
        (local.set $s2 (f64.add (f64.add (local.get $s2) (f64x2.extract_lane 0 (local.get $y))) (f64x2.extract_lane 1 (local.get $y))))
        (local.set $u (i32.add (local.get $u) (i32.const 32)))
        (local.set $w (i32.add (local.get $w) (i32.const 32)))
        (local.set $v (i32.add (local.get $v) (i32.const 32)))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (local.set $d (i32.add (local.get $d) (i32.const 32)))
        (local.set $d2 (i32.add (local.get $d2) (i32.const 32)))
        (br $four)))
    (call $finishUpdate (local.get $u) (local.get $w) (local.get $d) (local.get $n) (local.get $lo) (local.get $hi) (local.get $s) (local.get $out))
    (call $finishUpdate (local.get $v) (local.get $x) (local.get $d2) (local.get $n) (local.get $lo2) (local.get $hi2) (local.get $s2)
      (i32.add (local.get $out) (i32.const 16))))

  ;; updateSums' last n mod 4 entries (before at $u, W at $w, u stored at $d) and its two stores.
  (func $finishUpdate (param $u i32) (param $w i32) (param $d i32) (param $n i32) (param $lo v128) (param $hi v128) (param $s f64) (param $out i32)
    (local $v f64) (local $end i32)
    (local.set $end (i32.add (local.get $u) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 3))))
    (block $tail
      (loop $one
        (br_if $tail (i32.ge_u (local.get $u) (local.get $end)))
        (local.set $v (f64.sub (f64.load (local.get $w)) (f64.load (local.get $u))))
        (f64.store (local.get $d) (local.get $v))
        (local.set $lo (f64x2.replace_lane 0 (local.get $lo)
          (f64.add (f64x2.extract_lane 0 (local.get $lo)) (f64.mul (local.get $v) (local.get $v)))))
        (local.set $v (f64.sub (f64.load (local.get $w)) (local.get $v)))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $v) (local.get $v))))
        (local.set $u (i32.add (local.get $u) (i32.const 8)))
        (local.set $w (i32.add (local.get $w) (i32.const 8)))
        (local.set $d (i32.add (local.get $d) (i32.const 8)))
        (br $one)))
    (f64.store offset=8 (local.get $out) (local.get $s))
    (f64.store (local.get $out)
      (f64.add
        (f64.add (f64.add (f64x2.extract_lane 0 (local.get $lo)) (f64x2.extract_lane 1 (local.get $lo))) (f64x2.extract_lane 0 (local.get $hi)))
        (f64x2.extract_lane 1 (local.get $hi)))))
  ;; max |x| over n entries at byte $p that hold no NaN (vector-norms.ts' rare path, when Σx²
  ;; under- or overflowed; a deep sigmoid net asks it of every layer whose ΔW rounded to zero, each
  ;; step). pmax (a < b ? b : a) is one maxpd on x64, where f64x2.max pays for NaN and ±0 rules that
  ;; cannot arise here (no NaN; |x| is never −0): without NaN it is the loop's compare. Two
  ;; accumulators, so each maximum does not wait on the one before.
  (func (export "maxAbs") (param $p i32) (param $n i32) (result f64)
    (local $m v128) (local $m2 v128) (local $r f64) (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $m (f64x2.pmax (local.get $m) (f64x2.abs (v128.load (local.get $p)))))
        (local.set $m2 (f64x2.pmax (local.get $m2) (f64x2.abs (v128.load offset=16 (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $four)))
    (if (i32.and (local.get $n) (i32.const 2))
      (then
        (local.set $m (f64x2.pmax (local.get $m) (f64x2.abs (v128.load (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))))
    (local.set $m (f64x2.pmax (local.get $m) (local.get $m2)))
    (local.set $r (f64.max (f64x2.extract_lane 0 (local.get $m)) (f64x2.extract_lane 1 (local.get $m))))
    (if (result f64) (i32.and (local.get $n) (i32.const 1))
      (then (f64.max (local.get $r) (f64.abs (f64.load (local.get $p)))))
      (else (local.get $r))))

  ;; The histogram's first pass over n entries at byte $p (stats.ts): stores at $out the least
  ;; and the greatest entry as the loop `if (v < lo) lo = v; if (v > hi) hi = v` finds them from
  ;; ±Infinity (pmin and pmax skip NaN exactly as those compares do), then Σ x·0: 0 when every
  ;; entry is finite, NaN otherwise. The lanes meet out of index order, so a bound of ±0 may come
  ;; back with the other sign than the loop's: the caller takes the first zero's. Two sets of
  ;; bounds, so each comparison does not wait on the one before.
  (func (export "range") (param $p i32) (param $n i32) (param $out i32)
    (local $lo v128) (local $hi v128) (local $lo2 v128) (local $hi2 v128) (local $f v128) (local $x v128)
    (local $end i32) (local $v f64) (local $l f64) (local $h f64) (local $s f64)
    (local.set $lo (f64x2.splat (f64.const inf)))
    (local.set $hi (f64x2.splat (f64.const -inf)))
    (local.set $lo2 (local.get $lo))
    (local.set $hi2 (local.get $hi))
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (v128.load (local.get $p)))
        (local.set $lo (f64x2.pmin (local.get $lo) (local.get $x)))
        (local.set $hi (f64x2.pmax (local.get $hi) (local.get $x)))
        (local.set $f (f64x2.add (local.get $f) (f64x2.mul (local.get $x) (v128.const f64x2 0 0))))
        (local.set $x (v128.load offset=16 (local.get $p)))
        (local.set $lo2 (f64x2.pmin (local.get $lo2) (local.get $x)))
        (local.set $hi2 (f64x2.pmax (local.get $hi2) (local.get $x)))
        (local.set $f (f64x2.add (local.get $f) (f64x2.mul (local.get $x) (v128.const f64x2 0 0))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $four)))
    (if (i32.and (local.get $n) (i32.const 2))
      (then
        (local.set $x (v128.load (local.get $p)))
        (local.set $lo (f64x2.pmin (local.get $lo) (local.get $x)))
        (local.set $hi (f64x2.pmax (local.get $hi) (local.get $x)))
        (local.set $f (f64x2.add (local.get $f) (f64x2.mul (local.get $x) (v128.const f64x2 0 0))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))))
    (local.set $lo (f64x2.pmin (local.get $lo) (local.get $lo2)))
    (local.set $hi (f64x2.pmax (local.get $hi) (local.get $hi2)))
    (local.set $l (f64x2.extract_lane 0 (local.get $lo)))
    (local.set $v (f64x2.extract_lane 1 (local.get $lo)))
    (local.set $l (select (local.get $v) (local.get $l) (f64.lt (local.get $v) (local.get $l))))
    (local.set $h (f64x2.extract_lane 0 (local.get $hi)))
    (local.set $v (f64x2.extract_lane 1 (local.get $hi)))
    (local.set $h (select (local.get $v) (local.get $h) (f64.gt (local.get $v) (local.get $h))))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $f)) (f64x2.extract_lane 1 (local.get $f))))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $v (f64.load (local.get $p)))
        (local.set $l (select (local.get $v) (local.get $l) (f64.lt (local.get $v) (local.get $l))))
        (local.set $h (select (local.get $v) (local.get $h) (f64.gt (local.get $v) (local.get $h))))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $v) (f64.const 0))))))
    (f64.store (local.get $out) (local.get $l))
    (f64.store offset=8 (local.get $out) (local.get $h))
    (f64.store offset=16 (local.get $out) (local.get $s)))

  ;; The histogram's tally (stats.ts) over n entries at byte $p: an entry v in [$lo, $hi] adds 1 to
  ;; slot trunc((v − lo)·scale) of four i32 tallies of $w slots each at byte $t (zeroed here):
  ;; entry i goes to tally i mod 4, so a run of equal values (a ReLU layer's zeros) does not wait
  ;; on its own increments; counts are exact in any order. The caller passes a finite scale, so
  ;; the slot is at most $w − 1 (an entry at hi, or above it by rounding). Entries outside are
  ;; counted at $out as i32s: below lo, above hi, and neither (NaN).
  (func (export "tally") (param $p i32) (param $n i32) (param $lo f64) (param $hi f64) (param $scale f64) (param $t i32) (param $w i32) (param $out i32) (param $inside i32)
    (local $t1 i32) (local $t2 i32) (local $t3 i32) (local $end i32) (local $a i32) (local $v f64)
    (local $l v128) (local $k v128) (local $b01 v128) (local $b23 v128) (local $x v128)
    (local.set $w (i32.shl (local.get $w) (i32.const 2)))
    (memory.fill (local.get $t) (i32.const 0) (i32.shl (local.get $w) (i32.const 2)))
    (i64.store (local.get $out) (i64.const 0))
    (i32.store offset=8 (local.get $out) (i32.const 0))
    (local.set $t1 (i32.add (local.get $t) (local.get $w)))
    (local.set $t2 (i32.add (local.get $t1) (local.get $w)))
    (local.set $t3 (i32.add (local.get $t2) (local.get $w)))
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    ;; Every entry finite and in [lo, hi] ($inside, known from the range pass): no checks, and the
    ;; slots' byte addresses two at a time in f64x2 → i32x4 (tallies 0 and 1, then 2 and 3).
    (if (local.get $inside)
      (then
        (local.set $l (f64x2.splat (local.get $lo)))
        (local.set $k (f64x2.splat (local.get $scale)))
        (local.set $b01 (i32x4.replace_lane 1 (i32x4.splat (local.get $t)) (local.get $t1)))
        (local.set $b23 (i32x4.replace_lane 1 (i32x4.splat (local.get $t2)) (local.get $t3)))
        (block $fast
          (loop $quad
            (br_if $fast (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $x (i32x4.add (local.get $b01) (i32x4.shl (i32x4.trunc_sat_f64x2_s_zero
              (f64x2.mul (f64x2.sub (v128.load (local.get $p)) (local.get $l)) (local.get $k))) (i32.const 2))))
            (local.set $a (i32x4.extract_lane 0 (local.get $x)))
            (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
            (local.set $a (i32x4.extract_lane 1 (local.get $x)))
            (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
            (local.set $x (i32x4.add (local.get $b23) (i32x4.shl (i32x4.trunc_sat_f64x2_s_zero
              (f64x2.mul (f64x2.sub (v128.load offset=16 (local.get $p)) (local.get $l)) (local.get $k))) (i32.const 2))))
            (local.set $a (i32x4.extract_lane 0 (local.get $x)))
            (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
            (local.set $a (i32x4.extract_lane 1 (local.get $x)))
            (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (br $quad)))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (f64.load offset=0 (local.get $p)))
        (if (i32.and (f64.ge (local.get $v) (local.get $lo)) (f64.le (local.get $v) (local.get $hi)))
          (then
            (local.set $a (i32.add (local.get $t)
              (i32.shl (i32.trunc_sat_f64_s (f64.mul (f64.sub (local.get $v) (local.get $lo)) (local.get $scale))) (i32.const 2))))
            (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1))))
          (else (call $miss (local.get $v) (local.get $lo) (local.get $hi) (local.get $out))))
        (local.set $v (f64.load offset=8 (local.get $p)))
        (if (i32.and (f64.ge (local.get $v) (local.get $lo)) (f64.le (local.get $v) (local.get $hi)))
          (then
            (local.set $a (i32.add (local.get $t1)
              (i32.shl (i32.trunc_sat_f64_s (f64.mul (f64.sub (local.get $v) (local.get $lo)) (local.get $scale))) (i32.const 2))))
            (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1))))
          (else (call $miss (local.get $v) (local.get $lo) (local.get $hi) (local.get $out))))
        (local.set $v (f64.load offset=16 (local.get $p)))
        (if (i32.and (f64.ge (local.get $v) (local.get $lo)) (f64.le (local.get $v) (local.get $hi)))
          (then
            (local.set $a (i32.add (local.get $t2)
              (i32.shl (i32.trunc_sat_f64_s (f64.mul (f64.sub (local.get $v) (local.get $lo)) (local.get $scale))) (i32.const 2))))
            (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1))))
          (else (call $miss (local.get $v) (local.get $lo) (local.get $hi) (local.get $out))))
        (local.set $v (f64.load offset=24 (local.get $p)))
        (if (i32.and (f64.ge (local.get $v) (local.get $lo)) (f64.le (local.get $v) (local.get $hi)))
          (then
            (local.set $a (i32.add (local.get $t3)
              (i32.shl (i32.trunc_sat_f64_s (f64.mul (f64.sub (local.get $v) (local.get $lo)) (local.get $scale))) (i32.const 2))))
            (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1))))
          (else (call $miss (local.get $v) (local.get $lo) (local.get $hi) (local.get $out))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $four)))
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 3))))
    (block $tail
      (loop $one
        (br_if $tail (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (f64.load offset=0 (local.get $p)))
        (if (i32.and (f64.ge (local.get $v) (local.get $lo)) (f64.le (local.get $v) (local.get $hi)))
          (then
            (local.set $a (i32.add (local.get $t)
              (i32.shl (i32.trunc_sat_f64_s (f64.mul (f64.sub (local.get $v) (local.get $lo)) (local.get $scale))) (i32.const 2))))
            (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1))))
          (else (call $miss (local.get $v) (local.get $lo) (local.get $hi) (local.get $out))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $one))))

  ;; tally's entry outside [lo, hi]: one of the three counts at $out goes up.
  (func $miss (param $v f64) (param $lo f64) (param $hi f64) (param $out i32)
    (local.set $out (i32.add (local.get $out)
      (select (i32.const 0) (select (i32.const 4) (i32.const 8) (f64.gt (local.get $v) (local.get $hi)))
        (f64.lt (local.get $v) (local.get $lo)))))
    (i32.store (local.get $out) (i32.add (i32.load (local.get $out)) (i32.const 1))))

  ;; saturation's value band: how many of n entries at byte $p are < $lo or > $hi (NaN is neither).
  (func (export "outside") (param $p i32) (param $n i32) (param $lo f64) (param $hi f64) (result i32)
    (local $l v128) (local $h v128) (local $c v128) (local $x v128) (local $count i32) (local $v f64) (local $end i32)
    (local.set $l (f64x2.splat (local.get $lo)))
    (local.set $h (f64x2.splat (local.get $hi)))
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $two
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (v128.load (local.get $p)))
        (local.set $c (i64x2.sub (local.get $c) (f64x2.lt (local.get $x) (local.get $l))))
        (local.set $c (i64x2.sub (local.get $c) (f64x2.gt (local.get $x) (local.get $h))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $two)))
    (local.set $count (i32.wrap_i64 (i64.add (i64x2.extract_lane 0 (local.get $c)) (i64x2.extract_lane 1 (local.get $c)))))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $v (f64.load (local.get $p)))
        (local.set $count
          (i32.add (local.get $count) (i32.add (f64.lt (local.get $v) (local.get $lo)) (f64.gt (local.get $v) (local.get $hi)))))))
    (local.get $count))
  ;; The f′ scan and dead-units' question in one row-major read of a rows × units f′ at byte $p,
  ;; units even (so each f64x2 pair lies in one row) and at least 2: returns how many |d| < $cut
  ;; and stores at byte $out (i32) 1 when some |d| > $ceiling, as "scan" does; the units·8 bytes
  ;; at $acc end up holding, per unit j, an i64 at $acc + 8j that is all ones when some row's f′
  ;; is not ±0 (f64.ne is true for NaN) and 0 when every row's is. Counts and ORs are exact in
  ;; any order; the accumulators are reread from L1 once per row, 16 pairs apart at 32 units.
  (func (export "scanUnits") (param $p i32) (param $rows i32) (param $units i32) (param $cut f64) (param $ceiling f64) (param $out i32) (param $acc i32) (result i32)
    (local $c v128) (local $t v128) (local $below v128) (local $above v128) (local $x v128)
    (local $width i32) (local $end i32) (local $rowEnd i32) (local $q i32)
    (local.set $c (f64x2.splat (local.get $cut)))
    (local.set $t (f64x2.splat (local.get $ceiling)))
    (local.set $width (i32.shl (local.get $units) (i32.const 3)))
    (memory.fill (local.get $acc) (i32.const 0) (local.get $width))
    (local.set $end (i32.add (local.get $p) (i32.mul (local.get $rows) (local.get $width))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $rowEnd (i32.add (local.get $p) (local.get $width)))
        (local.set $q (local.get $acc))
        (loop $pair
          (local.set $x (v128.load (local.get $p)))
          (v128.store (local.get $q)
            (v128.or (v128.load (local.get $q)) (f64x2.ne (local.get $x) (v128.const i64x2 0 0))))
          (local.set $x (f64x2.abs (local.get $x)))
          (local.set $below (i64x2.sub (local.get $below) (f64x2.lt (local.get $x) (local.get $c))))
          (local.set $above (v128.or (local.get $above) (f64x2.gt (local.get $x) (local.get $t))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (local.set $q (i32.add (local.get $q) (i32.const 16)))
          (br_if $pair (i32.lt_u (local.get $p) (local.get $rowEnd))))
        (br $row)))
    (i32.store (local.get $out) (v128.any_true (local.get $above)))
    (i32.wrap_i64 (i64.add (i64x2.extract_lane 0 (local.get $below)) (i64x2.extract_lane 1 (local.get $below)))))

  ;; dead-units' question for a rows × units f′ at byte $p: per unit, whether some row's f′ is
  ;; not ±0 (NaN is not: f64.ne is true for it). One row-major pass without branches, OR-ing into
  ;; one byte per unit at byte $out; a column-wise early exit mispredicts on every unit.
  (func (export "unitsOn") (param $p i32) (param $rows i32) (param $units i32) (param $out i32)
    (local $end i32) (local $j i32) (local $q i32)
    (memory.fill (local.get $out) (i32.const 0) (local.get $units))
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.mul (local.get $rows) (local.get $units)) (i32.const 3))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $j (i32.const 0))
        (block $next
          (loop $unit
            (br_if $next (i32.ge_u (local.get $j) (local.get $units)))
            (local.set $q (i32.add (local.get $out) (local.get $j)))
            (i32.store8 (local.get $q)
              (i32.or (i32.load8_u (local.get $q)) (f64.ne (f64.load (local.get $p)) (f64.const 0))))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $unit)))
        (br $row))))
)
