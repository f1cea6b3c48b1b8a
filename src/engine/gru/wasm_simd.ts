/**
 * Two float64 matrix-product kernels in WebAssembly SIMD (f64x2), for the batched GRU pass (`batched.ts`),
 * assembled here from their opcodes (no toolchain), with the JavaScript loops of `batched.ts` as the fallback
 * where WebAssembly SIMD is missing.
 *
 * - `nn(a, lda, b, ldb, c, ldc, m, n, k)`: `C = A B` (`nnAdd`: `C += A B`), A `m x k`, B `k x n`;
 * - `tn(a, lda, b, ldb, c, ldc, m, n, rows)`: `C += Aᵀ B`, A `rows x m`, B `rows x n`.
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
} as const;
/** SIMD opcodes (after the 0xfd prefix). */
const simd = {
  load: 0x00,
  load64Splat: 0x0a,
  store: 0x0b,
  const: 0x0c,
  f64x2Add: 0xf0,
  f64x2Mul: 0xf2,
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
  constructor(readonly params: number, readonly i32Locals: number, readonly v128Locals: number) {}
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
    if (this.v128Locals > 0) {
      decls.push(...uleb(this.v128Locals), V128);
      groups++;
    }
    const body = [...uleb(groups), ...decls, ...this.code, op.end];
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

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

/** The module's bytes: three functions of nine i32 parameters over an imported memory `env.memory`. */
export function kernelModuleBytes(): Uint8Array<ArrayBuffer> {
  const bodies = [nnKernel(false), nnKernel(true), tnKernel()];
  const names = ["nn", "nnAdd", "tn"];
  const type = [0x60, ...uleb(9), ...new Array(9).fill(I32), 0];
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, ...type]),
    ...section(2, [1, ...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(1)]),
    ...section(3, [bodies.length, ...bodies.map(() => 0)]),
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
    const disabled = typeof Deno !== "undefined" && Deno.env.get("TINYRNN_NO_SIMD") !== undefined;
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
  return { memory, nn: exports.nn, nnAdd: exports.nnAdd, tn: exports.tn };
}
