/**
 * The batched GRU pass's kernels in WebAssembly SIMD (f64x2) (`batched.ts`), assembled here from their opcodes
 * (no toolchain), with the JavaScript loops of `batched.ts` as the fallback where WebAssembly SIMD is missing:
 *
 * - `nn(a, lda, b, ldb, c, ldc, m, n, k)`: `C = A B` (`nnAdd`: `C += A B`), A `m x k`, B `k x n`;
 * - `tn(a, lda, b, ldb, c, ldc, m, n, rows)`: `C += Aᵀ B`, A `rows x m`, B `rows x n`;
 * - `gates`: the GRU's gates of one trial of every block, from the recurrent sums `nn` formed, with a
 *   vectorised exponential (range reduction by ln 2, a degree-13 polynomial by Estrin's scheme);
 * - `grads`: the gate gradients of one trial of every block;
 * - `rowSums`: rows added into the row of their input id.
 *
 * Addresses and row strides are in bytes; m and n must be multiples of 4 (4 x 4 output tiles: eight f64x2
 * accumulators), k and rows at least 1. Callers pad their buffers so that the tiles' extra rows and columns
 * read finite numbers and write scratch. Each output entry is a sum over k (or rows) in ascending order with
 * separate multiply and add (no fused multiply-add), so `nn` gives the same bits as the scalar loop
 * `s = 0; for k: s += a[i, k] * b[k, j]`.
 *
 * @module
 */

/** The kernels of one instance, over its memory. */
export interface SimdKernels {
  readonly memory: WebAssembly.Memory;
  nn(
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    m: number,
    n: number,
    k: number,
  ): void;
  nnAdd(
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    m: number,
    n: number,
    k: number,
  ): void;
  tn(
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    m: number,
    n: number,
    rows: number,
  ): void;
  /** The GRU's gates for one trial of every block (see `gatesKernel`). */
  gates(
    pre: number,
    preStride: number,
    h: number,
    cache: number,
    proj: number,
    ids: number,
    bias: number,
    B: number,
    d: number,
    keep: number,
  ): void;
  /** The gate gradients of one trial of every block (see `gradsKernel`). */
  grads(
    cache: number,
    dNext: number,
    h: number,
    delta: number,
    dPrev: number,
    B: number,
    d: number,
    stride: number,
  ): void;
  /** Rows added into the row of their input id (see `rowSumsKernel`). */
  rowSums(ids: number, rows: number, rowBytes: number, sums: number, cells: number): void;
}

const I32 = 0x7f, V128 = 0x7b;
const op = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  get: 0x20,
  set: 0x21,
  i32Const: 0x41,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32GeS: 0x4e,
  i32Eq: 0x46,
  i32Load: 0x28,
  f64Store: 0x39,
  if: 0x04,
} as const;
/** SIMD opcodes (after the 0xfd prefix). */
const simd = {
  load: 0x00,
  load64Splat: 0x0a,
  store: 0x0b,
  const: 0x0c,
  extractLane: 0x21,
  and: 0x4e,
  or: 0x50,
  i64x2Shl: 0xcb,
  i64x2Add: 0xce,
  i64x2Sub: 0xd1,
  f64x2Abs: 0xec,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
  f64x2Min: 0xf4,
  f64x2Max: 0xf5,
} as const;

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A function body being written: locals are numbered after the parameters. */
class Body {
  readonly code: number[] = [];
  /** With `hoist`, each distinct v128 constant is set once into a local of its own at the function's start. */
  readonly constants = new Map<string, { local: number; bytes: number[] }>();
  constructor(
    readonly params: number,
    readonly i32Locals: number,
    readonly v128Locals: number,
    readonly hoist = false,
  ) {}
  /** Push a v128 constant (from its local when hoisting). */
  v128(bytes: number[]): this {
    if (!this.hoist) return this.simd(simd.const, ...bytes);
    const key = bytes.join(",");
    let entry = this.constants.get(key);
    if (!entry) {
      entry = { local: this.params + this.i32Locals + this.v128Locals + this.constants.size, bytes };
      this.constants.set(key, entry);
    }
    return this.get(entry.local);
  }
  emit(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  get(i: number): this {
    return this.emit(op.get, ...uleb(i));
  }
  set(i: number): this {
    return this.emit(op.set, ...uleb(i));
  }
  i32(value: number): this {
    return this.emit(op.i32Const, ...sleb(value));
  }
  simd(code: number, ...imm: number[]): this {
    return this.emit(0xfd, ...uleb(code), ...imm);
  }
  /** v128.load / store / load64_splat with alignment and byte offset. */
  mem(code: number, align: number, offset: number): this {
    return this.simd(code, ...uleb(align), ...uleb(offset));
  }
  /** `local[dst] = local[a] + local[b]` (i32). */
  add(dst: number, a: number, b: number): this {
    return this.get(a).get(b).emit(op.i32Add).set(dst);
  }
  /** `local[dst] = local[dst] + value` (i32 constant). */
  addConst(dst: number, value: number): this {
    return this.get(dst).i32(value).emit(op.i32Add).set(dst);
  }
  /** Push a v128 constant of two equal doubles. */
  f64x2(value: number): this {
    return this.v128([...new Uint8Array(new Float64Array([value, value]).buffer)]);
  }
  /** Push a v128 constant of two equal 64-bit integers (given as a double's bits). */
  bitsOf(value: number): this {
    return this.f64x2(value);
  }
  /** `acc = acc + s * b` (f64x2 locals). */
  fma(acc: number, s: number, b: number): this {
    return this.get(acc).get(s).get(b).simd(simd.f64x2Mul).simd(simd.f64x2Add).set(acc);
  }
  bytes(): number[] {
    const decls: number[] = [];
    let groups = 0;
    if (this.i32Locals > 0) {
      decls.push(...uleb(this.i32Locals), I32);
      groups++;
    }
    const v128s = this.v128Locals + this.constants.size;
    if (v128s > 0) {
      decls.push(...uleb(v128s), V128);
      groups++;
    }
    const prologue: number[] = [];
    for (const { local, bytes } of this.constants.values()) {
      prologue.push(0xfd, ...uleb(simd.const), ...bytes, op.set, ...uleb(local));
    }
    const body = [...uleb(groups), ...decls, ...prologue, ...this.code, op.end];
    return [...uleb(body.length), ...body];
  }
}

// Parameters of both kernels.
const A = 0, LDA = 1, B = 2, LDB = 3, C = 4, LDC = 5, M = 6, N = 7, K = 8;
// i32 locals.
const I = 9, J = 10, PA = 11, PB = 12, PC = 13, P = 14, T0 = 15, T1 = 16, T2 = 17;
const I32_LOCALS = 9;
// v128 locals: eight accumulators, two B vectors, one splat.
const ACC = 18, B0 = 26, B1 = 27, S = 28;
const V128_LOCALS = 11;

/** Loop `for (I = 0; I < M; I += 4) for (J = 0; J < N; J += 4) tile()`. */
function tiles(f: Body, tile: () => void): void {
  f.i32(0).set(I);
  f.emit(op.block, 0x40, op.loop, 0x40);
  f.get(I).get(M).emit(op.i32GeS, op.brIf, 1);
  f.i32(0).set(J);
  f.emit(op.block, 0x40, op.loop, 0x40);
  f.get(J).get(N).emit(op.i32GeS, op.brIf, 1);
  tile();
  f.addConst(J, 4).emit(op.br, 0, op.end, op.end);
  f.addConst(I, 4).emit(op.br, 0, op.end, op.end);
}

/** The eight accumulators from C's 4 x 4 tile at PC (or zero), or back into it. */
function loadTile(f: Body): void {
  for (let row = 0; row < 4; row++) {
    // T0 = PC + row * LDC
    f.get(PC);
    for (let r = 0; r < row; r++) f.get(LDC).emit(op.i32Add);
    f.set(T0);
    f.get(T0).mem(simd.load, 3, 0).set(ACC + 2 * row);
    f.get(T0).mem(simd.load, 3, 16).set(ACC + 2 * row + 1);
  }
}

function storeTile(f: Body): void {
  for (let row = 0; row < 4; row++) {
    f.get(PC);
    for (let r = 0; r < row; r++) f.get(LDC).emit(op.i32Add);
    f.set(T0);
    f.get(T0).get(ACC + 2 * row).mem(simd.store, 3, 0);
    f.get(T0).get(ACC + 2 * row + 1).mem(simd.store, 3, 16);
  }
}

/** PC = C + I * LDC + J * 8. */
function tileAddress(f: Body): void {
  f.get(C).get(I).get(LDC).emit(op.i32Mul, op.i32Add).get(J).i32(8).emit(op.i32Mul, op.i32Add).set(PC);
}

/** `C (+)= A B`: for each tile, k steps of four splats of A's column times two vectors of B's row. */
function nnKernel(accumulate: boolean): Body {
  const f = new Body(9, I32_LOCALS, V128_LOCALS);
  // T1 = 2 LDA, T2 = 3 LDA
  f.get(LDA).get(LDA).emit(op.i32Add).set(T1);
  f.get(T1).get(LDA).emit(op.i32Add).set(T2);
  tiles(f, () => {
    tileAddress(f);
    if (accumulate) loadTile(f);
    else {
      for (let a = 0; a < 8; a++) f.simd(simd.const, ...new Array(16).fill(0)).set(ACC + a);
    }
    f.get(A).get(I).get(LDA).emit(op.i32Mul, op.i32Add).set(PA);
    f.get(B).get(J).i32(8).emit(op.i32Mul, op.i32Add).set(PB);
    f.get(K).set(P);
    f.emit(op.loop, 0x40);
    f.get(PB).mem(simd.load, 3, 0).set(B0);
    f.get(PB).mem(simd.load, 3, 16).set(B1);
    const rows = [-1, LDA, T1, T2];
    for (let row = 0; row < 4; row++) {
      f.get(PA);
      if (row > 0) f.get(rows[row]).emit(op.i32Add);
      f.mem(simd.load64Splat, 3, 0).set(S);
      f.fma(ACC + 2 * row, S, B0).fma(ACC + 2 * row + 1, S, B1);
    }
    f.addConst(PA, 8);
    f.add(PB, PB, LDB);
    f.get(P).i32(1).emit(op.i32Sub).set(P);
    f.get(P).emit(op.brIf, 0, op.end);
    storeTile(f);
  });
  return f;
}

/** `C += Aᵀ B`: for each tile, one step per row r of four splats of A's row times two vectors of B's row. */
function tnKernel(): Body {
  const f = new Body(9, I32_LOCALS, V128_LOCALS);
  tiles(f, () => {
    tileAddress(f);
    loadTile(f);
    f.get(A).get(I).i32(8).emit(op.i32Mul, op.i32Add).set(PA);
    f.get(B).get(J).i32(8).emit(op.i32Mul, op.i32Add).set(PB);
    f.get(K).set(P);
    f.emit(op.loop, 0x40);
    f.get(PB).mem(simd.load, 3, 0).set(B0);
    f.get(PB).mem(simd.load, 3, 16).set(B1);
    for (let row = 0; row < 4; row++) {
      f.get(PA).mem(simd.load64Splat, 3, 8 * row).set(S);
      f.fma(ACC + 2 * row, S, B0).fma(ACC + 2 * row + 1, S, B1);
    }
    f.add(PA, PA, LDA);
    f.add(PB, PB, LDB);
    f.get(P).i32(1).emit(op.i32Sub).set(P);
    f.get(P).emit(op.brIf, 0, op.end);
    storeTile(f);
  });
  return f;
}

/** Taylor coefficients 1/k! of e^r − 1 = r (1 + r (1/2 + r (1/6 + ...))), k = 1..13. */
const EXPM1_TAYLOR = Array.from({ length: 13 }, (_, i) => {
  let f = 1;
  for (let k = 2; k <= i + 1; k++) f *= k;
  return 1 / f;
});
const INV_LN2 = 1.4426950408889634;
const LN2_HI = 6.93147180369123816490e-01;
const LN2_LO = 1.90821492927058770002e-10;
const SHIFT = 6755399441055744; // 1.5·2^52: adding it rounds to the nearest integer
const EXP_LIMIT = 708;

/**
 * From the f64x2 on the stack, leave `s = 2^n` in local `sOut` and `s·(e^r − 1)` in local `qOut`, where
 * x = n ln2 + r, |r| ≤ ln2/2 (x clamped to ±708): e^x = s + q and e^x − 1 = (s − 1) + q, within a few ulp.
 * Uses locals `x`, `t` as scratch.
 */
function expParts(f: Body, x: number, t: number, sOut: number, qOut: number): void {
  f.f64x2(EXP_LIMIT).simd(simd.f64x2Min).f64x2(-EXP_LIMIT).simd(simd.f64x2Max).set(x);
  // t = x / ln2 + SHIFT (its low mantissa bits hold n); n = t − SHIFT (kept in qOut for now)
  f.get(x).f64x2(INV_LN2).simd(simd.f64x2Mul).f64x2(SHIFT).simd(simd.f64x2Add).set(t);
  f.get(t).f64x2(SHIFT).simd(simd.f64x2Sub).set(qOut);
  // r = (x − n·LN2_HI) − n·LN2_LO, into x
  f.get(x).get(qOut).f64x2(LN2_HI).simd(simd.f64x2Mul).simd(simd.f64x2Sub);
  f.get(qOut).f64x2(LN2_LO).simd(simd.f64x2Mul).simd(simd.f64x2Sub).set(x);
  // 2^n = bits((t − SHIFT as integers) << 52 + bits(1))
  f.get(t).bitsOf(SHIFT).simd(simd.i64x2Sub).i32(52).simd(simd.i64x2Shl).bitsOf(1).simd(simd.i64x2Add).set(
    sOut,
  );
  // p = r P(r), P(r) = c1 + c2 r + ... + c13 r^12 by Estrin's scheme (short dependency chains), q = s·p
  const c = EXPM1_TAYLOR;
  const [r2, r4, r8, l0, l1, l2] = ESTRIN;
  f.get(x).get(x).simd(simd.f64x2Mul).set(r2);
  f.get(r2).get(r2).simd(simd.f64x2Mul).set(r4);
  f.get(r4).get(r4).simd(simd.f64x2Mul).set(r8);
  /** Push c[k] + c[k + 1] r. */
  const pair = (k: number) => f.f64x2(c[k + 1]).get(x).simd(simd.f64x2Mul).f64x2(c[k]).simd(simd.f64x2Add);
  for (const [k, out] of [[0, l0], [4, l1], [8, l2]]) {
    pair(k);
    pair(k + 2);
    f.get(r2).simd(simd.f64x2Mul).simd(simd.f64x2Add).set(out);
  }
  // u0 = l0 + l1 r4; u1 = l2 + c12 r4; P = u0 + u1 r8
  f.get(l0).get(l1).get(r4).simd(simd.f64x2Mul).simd(simd.f64x2Add);
  f.get(l2).f64x2(c[12]).get(r4).simd(simd.f64x2Mul).simd(simd.f64x2Add);
  f.get(r8).simd(simd.f64x2Mul).simd(simd.f64x2Add);
  f.get(x).simd(simd.f64x2Mul).get(sOut).simd(simd.f64x2Mul).set(qOut);
}

/** The gate kernels keep their constants in locals, set once per call (about 5% faster than inline). */
const HOIST = true;

// Parameters of the gates kernel.
const G_PRE = 0, G_PRE_STRIDE = 1, G_H = 2, G_CACHE = 3, G_PROJ = 4, G_IDS = 5, G_BIAS = 6, G_B = 7, G_D = 8;
const G_KEEP = 9;
// i32 locals.
const G_BI = 10, G_J = 11, G_GO = 12, G_HO = 13, G_OO = 14, G_CO = 15, G_PO = 16, G_D8 = 17, G_ROW = 18;
const G_C32 = 19, G_J8 = 20;
const G_I32 = 11;
// v128 locals.
const G_HR = 21, G_HZ = 22, G_HN = 23, G_R = 24, G_Z = 25, G_N = 26, G_X = 27, G_T = 28, G_S = 29, G_Q = 30;
/** Scratch of the exponential's polynomial: r², r⁴, r⁸ and three partial sums. */
const ESTRIN = [31, 32, 33, 34, 35, 36];
const G_V128 = 16;

/**
 * The GRU's gates for one trial of every block, two hidden units at a time, from the recurrent sums `pre`
 * (row stride `preStride` bytes), the input projections `proj` (`count x 3d`, the trial's input ids at
 * `ids`, i32 per block) and `b_hh` at `bias`: state row t + 1 (after the row at `h`) and, with `keep`, the
 * caches `[r, z, n, hn]` of row t at `cache`. Formed as the fused pass forms them, with this file's
 * exponential (so within a few ulp of it, not its bits). An odd d's last unit stores one lane.
 */
function gatesKernel(): Body {
  const f = new Body(10, G_I32, G_V128, HOIST);
  const load = (base: number, rowOffset: number) => {
    // v128 at base + rowOffset·d·8 + j·8
    f.get(base).get(G_J8).emit(op.i32Add);
    for (let k = 0; k < rowOffset; k++) f.get(G_D8).emit(op.i32Add);
    f.mem(simd.load, 3, 0);
  };
  const addr = (base: number, rowOffset: number) => {
    f.get(base).get(G_J8).emit(op.i32Add);
    for (let k = 0; k < rowOffset; k++) f.get(G_D8).emit(op.i32Add);
  };
  const store = (base: number, rowOffset: number, value: number, tail: boolean) => {
    addr(base, rowOffset);
    f.get(value);
    if (tail) f.simd(simd.extractLane, 0).emit(op.f64Store, 3, 0);
    else f.mem(simd.store, 3, 0);
  };
  // Phase 1 (every unit of the block): r and z, left in the consumed slots of `pre` (independent
  // exponentials, so the processor overlaps the units).
  const gatesRZ = (tail: boolean) => {
    // r = 1 / (1 + e^−(hr + ir)), hr = pre + b_hh
    f.f64x2(0);
    load(G_GO, 0);
    load(G_BIAS, 0);
    f.simd(simd.f64x2Add);
    load(G_PO, 0);
    f.simd(simd.f64x2Add).simd(simd.f64x2Sub);
    expParts(f, G_X, G_T, G_S, G_Q);
    f.f64x2(1).f64x2(1).get(G_S).get(G_Q).simd(simd.f64x2Add).simd(simd.f64x2Add).simd(simd.f64x2Div).set(
      G_R,
    );
    // z = 1 / (1 + e^−(hz + iz))
    f.f64x2(0);
    load(G_GO, 1);
    load(G_BIAS, 1);
    f.simd(simd.f64x2Add);
    load(G_PO, 1);
    f.simd(simd.f64x2Add).simd(simd.f64x2Sub);
    expParts(f, G_HR, G_HZ, G_S, G_Q);
    f.f64x2(1).f64x2(1).get(G_S).get(G_Q).simd(simd.f64x2Add).simd(simd.f64x2Add).simd(simd.f64x2Div).set(
      G_Z,
    );
    store(G_GO, 0, G_R, tail);
    store(G_GO, 1, G_Z, tail);
  };
  // Phase 2: n and the new state (and the caches).
  const gatesN = (tail: boolean) => {
    load(G_GO, 0);
    f.set(G_R);
    load(G_GO, 1);
    f.set(G_Z);
    load(G_GO, 2);
    load(G_BIAS, 2);
    f.simd(simd.f64x2Add).set(G_HN);
    // n = tanh(a), a = in + hn·r: with m = e^(−2|a|) − 1, tanh|a| = −m / (m + 2), the sign of a put back.
    load(G_PO, 2);
    f.get(G_HN).get(G_R).simd(simd.f64x2Mul).simd(simd.f64x2Add).set(G_N);
    f.get(G_N).simd(simd.f64x2Abs).f64x2(-2).simd(simd.f64x2Mul);
    expParts(f, G_X, G_T, G_S, G_Q);
    // m = (s − 1) + q, into G_Q
    f.get(G_S).f64x2(1).simd(simd.f64x2Sub).get(G_Q).simd(simd.f64x2Add).set(G_Q);
    f.f64x2(0).get(G_Q).simd(simd.f64x2Sub).get(G_Q).f64x2(2).simd(simd.f64x2Add).simd(simd.f64x2Div);
    f.get(G_N).f64x2(-0).simd(simd.and).simd(simd.or).set(G_N);
    // h' = (h − n) z + n
    load(G_HO, 0);
    f.get(G_N).simd(simd.f64x2Sub).get(G_Z).simd(simd.f64x2Mul).get(G_N).simd(simd.f64x2Add).set(G_X);
    store(G_OO, 0, G_X, tail);
    f.get(G_KEEP).emit(op.if, 0x40);
    store(G_CO, 0, G_R, tail);
    store(G_CO, 1, G_Z, tail);
    store(G_CO, 2, G_N, tail);
    store(G_CO, 3, G_HN, tail);
    f.emit(op.end);
  };
  /** `for (j = 0; j + 1 < d; j += 2) body(pair)`, then an odd d's last unit alone. */
  const units = (body: (tail: boolean) => void) => {
    f.i32(0).set(G_J);
    f.emit(op.block, 0x40, op.loop, 0x40);
    f.get(G_J).i32(1).emit(op.i32Add).get(G_D).emit(op.i32GeS, op.brIf, 1);
    f.get(G_J).i32(8).emit(op.i32Mul).set(G_J8);
    body(false);
    f.addConst(G_J, 2).emit(op.br, 0, op.end, op.end);
    f.get(G_J).get(G_D).emit(op.i32Eq);
    f.emit(0x45); // i32.eqz: j ≠ d
    f.emit(op.if, 0x40);
    f.get(G_J).i32(8).emit(op.i32Mul).set(G_J8);
    body(true);
    f.emit(op.end);
  };
  f.get(G_D).i32(8).emit(op.i32Mul).set(G_D8);
  f.get(G_B).get(G_D8).emit(op.i32Mul).set(G_ROW);
  f.get(G_D8).i32(4).emit(op.i32Mul).set(G_C32);
  f.i32(0).set(G_BI);
  f.emit(op.block, 0x40, op.loop, 0x40);
  f.get(G_BI).get(G_B).emit(op.i32GeS, op.brIf, 1);
  f.get(G_PRE).get(G_BI).get(G_PRE_STRIDE).emit(op.i32Mul, op.i32Add).set(G_GO);
  f.get(G_H).get(G_BI).get(G_D8).emit(op.i32Mul, op.i32Add).set(G_HO);
  f.get(G_HO).get(G_ROW).emit(op.i32Add).set(G_OO);
  f.get(G_CACHE).get(G_BI).get(G_C32).emit(op.i32Mul, op.i32Add).set(G_CO);
  // PO = proj + ids[b] · 3d · 8
  f.get(G_PROJ).get(G_IDS).get(G_BI).i32(4).emit(op.i32Mul, op.i32Add, op.i32Load, 2, 0);
  f.get(G_D8).i32(3).emit(op.i32Mul, op.i32Mul, op.i32Add).set(G_PO);
  units(gatesRZ);
  units(gatesN);
  f.addConst(G_BI, 1).emit(op.br, 0, op.end, op.end);
  return f;
}

// Parameters of the gate-gradients kernel.
const D_CACHE = 0, D_NEXT = 1, D_H = 2, D_DELTA = 3, D_PREV = 4, D_B = 5, D_D = 6, D_STRIDE = 7;
// i32 locals.
const D_BI = 8, D_J = 9, D_J8 = 10, D_D8 = 11, D_CO = 12, D_GO = 13, D_HO = 14, D_PO = 15, D_C32 = 16;
const D_DO = 17;
const D_I32 = 10;
// v128 locals.
const D_R = 18, D_Z = 19, D_N = 20, D_HN = 21, D_G = 22, D_DN = 23, D_DZ = 24, D_AN = 25;
const D_V128 = 8;

/**
 * The gate gradients of one trial of every block, two hidden units at a time, as the batched pass's
 * JavaScript loop forms them: from the caches `[r, z, n, hn]` at `cache`, dL/dh' at `dNext` (row stride
 * `stride` bytes) and the states at `h`, the deltas `[daR, daZ, dhN, daN]` at `delta` and dPrev = g·z (row
 * stride `stride`), to which the caller adds `Δ_h W_hh`.
 */
function gradsKernel(): Body {
  const f = new Body(8, D_I32, D_V128, HOIST);
  const at = (base: number, rowOffset: number) => {
    f.get(base).get(D_J8).emit(op.i32Add);
    for (let k = 0; k < rowOffset; k++) f.get(D_D8).emit(op.i32Add);
  };
  const load = (base: number, rowOffset: number) => {
    at(base, rowOffset);
    f.mem(simd.load, 3, 0);
  };
  /** Store the f64x2 computed by `value` (lane 0 only for an odd d's last unit). */
  const store = (base: number, rowOffset: number, value: () => void, tail: boolean) => {
    at(base, rowOffset);
    value();
    if (tail) f.simd(simd.extractLane, 0).emit(op.f64Store, 3, 0);
    else f.mem(simd.store, 3, 0);
  };
  const mul = () => f.simd(simd.f64x2Mul);
  const sub = () => f.simd(simd.f64x2Sub);
  const unit = (tail: boolean) => {
    load(D_CO, 0);
    f.set(D_R);
    load(D_CO, 1);
    f.set(D_Z);
    load(D_CO, 2);
    f.set(D_N);
    load(D_CO, 3);
    f.set(D_HN);
    load(D_GO, 0);
    f.set(D_G);
    store(D_PO, 0, () => f.get(D_G).get(D_Z).simd(simd.f64x2Mul), tail);
    // dn = g (1 − z); dz = g (h − n); daN = dn (1 − n n)
    f.get(D_G).f64x2(1).get(D_Z);
    sub();
    mul();
    f.set(D_DN);
    f.get(D_G);
    load(D_HO, 0);
    f.get(D_N);
    sub();
    mul();
    f.set(D_DZ);
    f.get(D_DN).f64x2(1).get(D_N).get(D_N);
    mul();
    sub();
    mul();
    f.set(D_AN);
    // daR = (daN hn) r (1 − r); daZ = dz z (1 − z); dhN = daN r
    store(D_DO, 0, () => {
      f.get(D_AN).get(D_HN);
      mul();
      f.get(D_R);
      mul();
      f.f64x2(1).get(D_R);
      sub();
      mul();
    }, tail);
    store(D_DO, 1, () => {
      f.get(D_DZ).get(D_Z);
      mul();
      f.f64x2(1).get(D_Z);
      sub();
      mul();
    }, tail);
    store(D_DO, 2, () => {
      f.get(D_AN).get(D_R);
      mul();
    }, tail);
    store(D_DO, 3, () => f.get(D_AN), tail);
  };
  f.get(D_D).i32(8).emit(op.i32Mul).set(D_D8);
  f.get(D_D8).i32(4).emit(op.i32Mul).set(D_C32);
  f.i32(0).set(D_BI);
  f.emit(op.block, 0x40, op.loop, 0x40);
  f.get(D_BI).get(D_B).emit(op.i32GeS, op.brIf, 1);
  f.get(D_NEXT).get(D_BI).get(D_STRIDE).emit(op.i32Mul, op.i32Add).set(D_GO);
  f.get(D_H).get(D_BI).get(D_D8).emit(op.i32Mul, op.i32Add).set(D_HO);
  f.get(D_PREV).get(D_BI).get(D_STRIDE).emit(op.i32Mul, op.i32Add).set(D_PO);
  f.get(D_CACHE).get(D_BI).get(D_C32).emit(op.i32Mul, op.i32Add).set(D_CO);
  f.get(D_DELTA).get(D_BI).get(D_C32).emit(op.i32Mul, op.i32Add).set(D_DO);
  f.i32(0).set(D_J);
  f.emit(op.block, 0x40, op.loop, 0x40);
  f.get(D_J).i32(1).emit(op.i32Add).get(D_D).emit(op.i32GeS, op.brIf, 1);
  f.get(D_J).i32(8).emit(op.i32Mul).set(D_J8);
  unit(false);
  f.addConst(D_J, 2).emit(op.br, 0, op.end, op.end);
  f.get(D_J).get(D_D).emit(op.i32Eq);
  f.emit(0x45); // i32.eqz: j ≠ d
  f.emit(op.if, 0x40);
  f.get(D_J).i32(8).emit(op.i32Mul).set(D_J8);
  unit(true);
  f.emit(op.end);
  f.addConst(D_BI, 1).emit(op.br, 0, op.end, op.end);
  return f;
}

/**
 * `sums[ids[c]] += rows[c]` for c < cells: rows of `rowBytes` bytes (a multiple of 16) added into the row of
 * their input id, in order (the batched pass's per-input sums of the gate gradients).
 * Parameters: ids (i32 per row), rows, rowBytes, sums, cells.
 */
function rowSumsKernel(): Body {
  const IDS = 0, ROWS = 1, BYTES = 2, SUMS = 3, CELLS = 4;
  const CELL = 5, PS = 6, PR = 7, M = 8;
  const f = new Body(5, 4, 0);
  f.i32(0).set(CELL);
  f.get(ROWS).set(PR);
  f.emit(op.block, 0x40, op.loop, 0x40);
  f.get(CELL).get(CELLS).emit(op.i32GeS, op.brIf, 1);
  // PS = sums + ids[cell] · rowBytes
  f.get(SUMS).get(IDS).get(CELL).i32(4).emit(op.i32Mul, op.i32Add, op.i32Load, 2, 0);
  f.get(BYTES).emit(op.i32Mul, op.i32Add).set(PS);
  f.i32(0).set(M);
  f.emit(op.block, 0x40, op.loop, 0x40);
  f.get(M).get(BYTES).emit(op.i32GeS, op.brIf, 1);
  f.get(PS).get(M).emit(op.i32Add);
  f.get(PS).get(M).emit(op.i32Add).mem(simd.load, 3, 0);
  f.get(PR).get(M).emit(op.i32Add).mem(simd.load, 3, 0);
  f.simd(simd.f64x2Add).mem(simd.store, 3, 0);
  f.addConst(M, 16).emit(op.br, 0, op.end, op.end);
  f.add(PR, PR, BYTES);
  f.addConst(CELL, 1).emit(op.br, 0, op.end, op.end);
  return f;
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

/** The module's bytes: the six kernels over an imported memory `env.memory`. */
export function kernelModuleBytes(): Uint8Array<ArrayBuffer> {
  const bodies = [nnKernel(false), nnKernel(true), tnKernel(), gatesKernel(), gradsKernel(), rowSumsKernel()];
  const names = ["nn", "nnAdd", "tn", "gates", "grads", "rowSums"];
  // Function types: nine, ten and eight i32 parameters, no result.
  const types = [9, 10, 8, 5].flatMap((n) => [0x60, ...uleb(n), ...new Array(n).fill(I32), 0]);
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [4, ...types]),
    ...section(2, [1, ...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(1)]),
    ...section(3, [bodies.length, ...bodies.map((_, i) => (i < 3 ? 0 : i - 2))]),
    ...section(7, [names.length, ...names.flatMap((n, i) => [...name(n), 0x00, i])]),
    ...section(10, [bodies.length, ...bodies.flatMap((b) => b.bytes())]),
  ];
  return new Uint8Array(bytes);
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is not available (or `TINYRNN_NO_SIMD` is set). */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    // Read the switch only where reading it needs no permission prompt.
    const variable = "TINYRNN_NO_SIMD";
    const disabled = typeof Deno !== "undefined" &&
      Deno.permissions.querySync({ name: "env", variable }).state === "granted" &&
      Deno.env.get(variable) !== undefined;
    const bytes = kernelModuleBytes();
    if (!disabled && WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Whether the SIMD kernels can run here. */
export function simdAvailable(): boolean {
  return kernelModule() !== null;
}

/** The kernels over a new memory of at least `bytes` bytes, or undefined without WebAssembly SIMD. */
export function simdKernels(bytes: number): SimdKernels | undefined {
  const module = kernelModule();
  if (module === null) return undefined;
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Omit<
    SimdKernels,
    "memory"
  >;
  return {
    memory,
    nn: exports.nn,
    nnAdd: exports.nnAdd,
    tn: exports.tn,
    gates: exports.gates,
    grads: exports.grads,
    rowSums: exports.rowSums,
  };
}
