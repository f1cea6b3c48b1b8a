import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";
import { matRows, type MatValue, parseMat, readMat } from "../../src/data/mat5.ts";
import { MI, type TestMatValue, writeTestMat } from "./fixtures/mat5_writer.ts";
import { assertInputError, exists } from "./helpers.ts";

const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;
const SESSION = new URL(
  "../../../shared/data/SPKcounts_V20161017cue_MW_250X250ms.mat",
  import.meta.url,
).pathname;

/** Compare a decoded value with the description the fixture script (or a test) wrote. */
// deno-lint-ignore no-explicit-any
function assertMatches(actual: MatValue, expected: any, where: string): void {
  assert.equal(actual.kind, expected.kind, `${where}: kind`);
  if (expected.dims) assert.deepEqual(actual.dims, expected.dims, `${where}: dims`);
  if (actual.kind === "numeric") {
    assert.equal(actual.class, expected.class, `${where}: class`);
    assert.deepEqual(Array.from(actual.data), expected.data, `${where}: data`);
    if (expected.imag) assert.deepEqual(Array.from(actual.imag ?? []), expected.imag, `${where}: imag`);
    else assert.equal(actual.imag, undefined, `${where}: imag`);
  } else if (actual.kind === "char") {
    assert.deepEqual(actual.rows, expected.rows, `${where}: rows`);
  } else if (actual.kind === "cell") {
    assert.equal(actual.cells.length, expected.cells.length, `${where}: cell count`);
    actual.cells.forEach((c, i) => assertMatches(c, expected.cells[i], `${where}{${i}}`));
  } else {
    assert.deepEqual(actual.fields, expected.fields, `${where}: fields`);
    assert.equal(actual.elements.length, expected.elements.length, `${where}: element count`);
    actual.elements.forEach((e, i) => {
      for (const f of expected.fields) assertMatches(e[f], expected.elements[i][f], `${where}(${i}).${f}`);
    });
  }
}

const expected = JSON.parse(Deno.readTextFileSync(`${FIXTURES}mat5_scipy_expected.json`));

for (const file of ["mat5_scipy.mat", "mat5_scipy_zlib.mat"]) {
  Deno.test(`mat5: every variable of the scipy-written ${file} decodes as saved`, () => {
    const mat = readMat(`${FIXTURES}${file}`);
    assert.ok(mat.littleEndian);
    assert.match(mat.header, /^MATLAB 5\.0 MAT-file/);
    assert.deepEqual(Object.keys(mat.variables).sort(), Object.keys(expected).sort());
    for (const [name, description] of Object.entries(expected)) {
      assertMatches(mat.variables[name], description, name);
    }
  });
}

Deno.test("mat5: row-major order of a 3-D array and matRows of a matrix", () => {
  const mat = readMat(`${FIXTURES}mat5_scipy_zlib.mat`, { variables: ["grid", "d"] });
  const grid = mat.variables.grid;
  assert.equal(grid.kind, "numeric");
  if (grid.kind !== "numeric") return;
  // grid[i][j][k] = (12 i + 4 j + k) / 2 - 3, as numpy built it
  assert.equal(grid.data[1 * 12 + 2 * 4 + 3], (12 + 8 + 3) / 2 - 3);
  const d = mat.variables.d;
  if (d.kind !== "numeric") throw new Error("d is not numeric");
  assert.deepEqual(matRows(d), [[1.5, -2.25, 3.0], [4.0, 5.125, -6.5]]);
});

Deno.test("mat5: the variables option decodes only the requested variables", () => {
  const mat = readMat(`${FIXTURES}mat5_scipy.mat`, { variables: ["word"] });
  assert.deepEqual(Object.keys(mat.variables), ["word"]);
});

const synthetic: Record<string, TestMatValue> = {
  narrow: {
    kind: "numeric",
    class: "double",
    dims: [2, 3],
    data: [1, 2, 3, 4, 5, 65535],
    storage: MI.UINT16,
  },
  tiny: { kind: "numeric", class: "int16", dims: [1, 2], data: [-7, 9] }, // 4 bytes: small element format
  one: { kind: "numeric", class: "uint8", dims: [1, 1], data: [200] },
  sgl: { kind: "numeric", class: "single", dims: [1, 3], data: [0.5, -2, 1e3] },
  big: { kind: "numeric", class: "int64", dims: [1, 2], data: [-5, 2 ** 40] },
  cplx: { kind: "numeric", class: "double", dims: [1, 2], data: [1, 2], imag: [-1, 0.5] },
  bits: { kind: "numeric", class: "logical", dims: [2, 2], data: [1, 0, 0, 1] },
  text16: { kind: "char", rows: ["abc", "xyz"] },
  text8: { kind: "char", rows: ["déjà vu"], storage: MI.UTF8 },
  textU16: { kind: "char", rows: ["Ω≈"], storage: MI.UTF16 },
  box: {
    kind: "cell",
    dims: [2, 2],
    cells: [
      { kind: "numeric", class: "double", dims: [1, 1], data: [1] },
      { kind: "char", rows: ["b"] },
      { kind: "numeric", class: "double", dims: [0, 0], data: [] },
      { kind: "cell", dims: [1, 1], cells: [{ kind: "numeric", class: "uint32", dims: [1, 1], data: [4] }] },
    ],
  },
  rec: {
    kind: "struct",
    dims: [2, 1],
    fields: ["x", "label"],
    elements: [
      {
        x: { kind: "numeric", class: "double", dims: [1, 2], data: [1, 2] },
        label: { kind: "char", rows: ["p"] },
      },
      {
        x: { kind: "numeric", class: "double", dims: [1, 1], data: [3] },
        label: { kind: "char", rows: ["q"] },
      },
    ],
  },
};

function describe(value: TestMatValue): unknown {
  switch (value.kind) {
    case "numeric":
      return { ...value, storage: undefined };
    case "char":
      return { kind: "char", rows: value.rows };
    case "cell":
      return { kind: "cell", dims: value.dims, cells: value.cells.map(describe) };
    case "struct":
      return {
        ...value,
        elements: value.elements.map((e) =>
          Object.fromEntries(Object.entries(e).map(([k, v]) => [k, describe(v)]))
        ),
      };
    default:
      return value;
  }
}

for (const littleEndian of [true, false]) {
  for (const compress of [false, true]) {
    Deno.test(
      `mat5: synthetic file, ${littleEndian ? "little" : "big"}-endian, ${
        compress ? "compressed" : "uncompressed"
      }`,
      () => {
        const bytes = writeTestMat(synthetic, { littleEndian, compress });
        const mat = parseMat(bytes, { fileName: "synthetic.mat" });
        assert.equal(mat.littleEndian, littleEndian);
        assert.deepEqual(Object.keys(mat.variables), Object.keys(synthetic));
        for (const [name, value] of Object.entries(synthetic)) {
          assertMatches(mat.variables[name], describe(value), name);
        }
      },
    );
  }
}

function readOne(): MatValue {
  return { kind: "numeric", class: "uint8", dims: [1, 1], data: new Float64Array([200]) };
}

Deno.test("mat5: files that are not MAT v5 are refused, naming the file", () => {
  assertInputError(
    () => parseMat(new TextEncoder().encode("a,b\n1,2\n"), { fileName: "data.csv" }),
    /data\.csv is not a MATLAB v5 MAT-file: it has 8 bytes/,
  );
  const csvLike = new TextEncoder().encode("session,block\n".repeat(20));
  assertInputError(
    () => parseMat(csvLike, { fileName: "x.mat" }),
    /x\.mat is not a MATLAB v5 MAT-file.*endian/,
  );
  const v4 = new Uint8Array(200); // v4 files start with a zero type word
  assertInputError(() => parseMat(v4, { fileName: "old.mat" }), /old\.mat .*v4/);
  const hdf5 = writeTestMat({}, { header: "MATLAB 7.3 MAT-file, Platform: GLNXA64, HDF5 schema 1.00" });
  assertInputError(() => parseMat(hdf5, { fileName: "new.mat" }), /new\.mat .*7\.3 \(HDF5\).*-v7/);
  assertInputError(() => readMat(`${FIXTURES}no_such_file.mat`), /cannot read MAT-file .*no_such_file\.mat/);
});

Deno.test("mat5: truncated files give a truncation error naming the file", () => {
  for (const compress of [false, true]) {
    const bytes = writeTestMat(synthetic, { compress });
    for (const cut of [130, 200, Math.floor(bytes.length / 2), bytes.length - 3]) {
      assertInputError(
        () => parseMat(bytes.subarray(0, cut), { fileName: "cut.mat" }),
        /MAT-file cut\.mat: truncated/,
      );
    }
  }
  // A compressed element whose zlib stream is cut short but whose tag is consistent.
  const matrix = writeTestMat({ a: synthetic.narrow }).subarray(128);
  const packed = deflateSync(matrix).subarray(0, 20);
  const bytes = new Uint8Array(128 + 8 + packed.length);
  bytes.set(writeTestMat({}), 0);
  new DataView(bytes.buffer).setUint32(128, MI.COMPRESSED, true);
  new DataView(bytes.buffer).setUint32(132, packed.length, true);
  bytes.set(packed, 136);
  assertInputError(
    () => parseMat(bytes, { fileName: "z.mat" }),
    /z\.mat: the compressed element at byte 128/,
  );
});

Deno.test("mat5: unsupported classes and missing variables are named", () => {
  const bytes = writeTestMat({
    ok: synthetic.one,
    handles: { kind: "raw", classCode: 16, dims: [1, 1] },
  });
  assertInputError(
    () => parseMat(bytes, { fileName: "f.mat" }),
    /MAT-file f\.mat: variable "handles" has the unsupported class function handle/,
  );
  // Skipped when not requested, compressed or not (compressed ones are recognised from their first bytes).
  assert.deepEqual(Object.keys(parseMat(bytes, { variables: ["ok"] }).variables), ["ok"]);
  const packed = writeTestMat({ handles: { kind: "raw", classCode: 16, dims: [1, 1] }, ok: synthetic.one }, {
    compress: true,
  });
  assert.deepEqual(parseMat(packed, { variables: ["ok"] }).variables, { ok: readOne() });
  assertInputError(
    () => parseMat(packed, { fileName: "p.mat" }),
    /p\.mat: variable "handles" has the unsupported/,
  );
  assertInputError(
    () => parseMat(bytes, { fileName: "f.mat", variables: ["Ok"] }),
    /MAT-file f\.mat has no variable "Ok" \(did you mean "ok"\?\); it holds: ok, handles/,
  );
});

Deno.test({
  name: "mat5: the Bartolo session decodes (Y is 1956 x 13, recSess names the session)",
  ignore: !exists(SESSION),
  fn: () => {
    const mat = readMat(SESSION, { variables: ["Y", "recSess"] });
    const y = mat.variables.Y;
    if (y.kind !== "numeric") throw new Error("Y is not numeric");
    assert.deepEqual(y.dims, [1956, 13]);
    assert.deepEqual(matRows(y)[0], [0, 0, 1, 1, 1, 1, 0, 17, 1, 2, 1, 1, 1]);
    assert.deepEqual(mat.variables.recSess, { kind: "char", dims: [1, 9], rows: ["V20161017"] });
  },
});
