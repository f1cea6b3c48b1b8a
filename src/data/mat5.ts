/**
 * A reader for MATLAB level-5 MAT-files (the format of `save -v6` and `save -v7`): numeric and logical
 * arrays, char arrays, cell arrays, structs and objects, compressed or not, either byte order.
 *
 * Arrays come back in row-major (C) order: element `[i0, i1, ..., ik]` of an array with dims
 * `[d0, ..., dk]` is at `((i0 * d1 + i1) * d2 + ...) + ik`, as in numpy, whereas the file stores them
 * column-major. MATLAB 7.3 files are HDF5 and are not read here.
 *
 * @module
 */

import { constants as zlibConstants, inflateSync } from "node:zlib";
import { suggest, TinyRnnInputError } from "../options.ts";

/** MATLAB classes of numeric arrays; `"logical"` is a uint8 array flagged as logical. */
export type MatNumericClass =
  | "double"
  | "single"
  | "int8"
  | "uint8"
  | "int16"
  | "uint16"
  | "int32"
  | "uint32"
  | "int64"
  | "uint64"
  | "logical";

/** A numeric or logical array. 64-bit integers beyond 2^53 lose precision in the conversion to float64. */
export interface MatNumeric {
  /** Discriminant. */
  kind: "numeric";
  /** The MATLAB class the array had. */
  class: MatNumericClass;
  /** Dimensions, at least two (MATLAB has no 1-D arrays). */
  dims: number[];
  /** Real parts in row-major order. */
  data: Float64Array;
  /** Imaginary parts in row-major order, for complex arrays. */
  imag?: Float64Array;
}

/** A char array: one string per row (trailing dimensions are folded into the columns, as MATLAB does). */
export interface MatChar {
  /** Discriminant. */
  kind: "char";
  /** Dimensions as stored: `[rows, columns, ...]`. */
  dims: number[];
  /** One string per row. */
  rows: string[];
}

/** A cell array; `cells` in row-major order. */
export interface MatCell {
  /** Discriminant. */
  kind: "cell";
  /** Dimensions, at least two. */
  dims: number[];
  /** The cells' values in row-major order. */
  cells: MatValue[];
}

/** A struct array (or an old-style object, which also has `className`); `elements` in row-major order. */
export interface MatStruct {
  /** Discriminant. */
  kind: "struct";
  /** Dimensions of the struct array, at least two. */
  dims: number[];
  /** Field names in file order. */
  fields: string[];
  /** One record of field values per element, in row-major order. */
  elements: Record<string, MatValue>[];
  /** Class name, for objects only. */
  className?: string;
}

/** Any value a MAT v5 variable can hold that this reader understands. */
export type MatValue = MatNumeric | MatChar | MatCell | MatStruct;

/** A parsed MAT-file. */
export interface MatFile {
  /** The 116-byte descriptive text of the header, trailing blanks removed. */
  header: string;
  /** Byte order the file was written in. */
  littleEndian: boolean;
  /** Variables by name, in file order. */
  variables: Record<string, MatValue>;
}

/** Options of {@link parseMat} and {@link readMat}. */
export interface MatReadOptions {
  /** Read only these variables (others are skipped without being decoded); each must exist. Default: all. */
  variables?: readonly string[];
  /** Name used in error messages (a file path). Default `"<bytes>"`. */
  fileName?: string;
}

// Data element types (MAT-file format, table 1-1).
const MI_INT8 = 1;
const MI_UINT8 = 2;
const MI_INT16 = 3;
const MI_UINT16 = 4;
const MI_INT32 = 5;
const MI_UINT32 = 6;
const MI_SINGLE = 7;
const MI_DOUBLE = 9;
const MI_INT64 = 12;
const MI_UINT64 = 13;
const MI_MATRIX = 14;
const MI_COMPRESSED = 15;
const MI_UTF8 = 16;
const MI_UTF16 = 17;
const MI_UTF32 = 18;

const ELEMENT_SIZE: Record<number, number> = {
  [MI_INT8]: 1,
  [MI_UINT8]: 1,
  [MI_INT16]: 2,
  [MI_UINT16]: 2,
  [MI_INT32]: 4,
  [MI_UINT32]: 4,
  [MI_SINGLE]: 4,
  [MI_DOUBLE]: 8,
  [MI_INT64]: 8,
  [MI_UINT64]: 8,
  [MI_UTF8]: 1,
  [MI_UTF16]: 2,
  [MI_UTF32]: 4,
};

// Array classes (table 1-3).
const MX_CELL = 1;
const MX_STRUCT = 2;
const MX_OBJECT = 3;
const MX_CHAR = 4;
const NUMERIC_CLASS: Record<number, MatNumericClass> = {
  6: "double",
  7: "single",
  8: "int8",
  9: "uint8",
  10: "int16",
  11: "uint16",
  12: "int32",
  13: "uint32",
  14: "int64",
  15: "uint64",
};
const UNSUPPORTED_CLASS: Record<number, string> = {
  5: "sparse",
  16: "function handle",
  17: "opaque (MATLAB string, table, datetime or other new-style object)",
};
const FLAG_COMPLEX = 0x08;
const FLAG_LOGICAL = 0x02;

/** A data element's tag, located in a buffer. */
interface Tag {
  type: number;
  nbytes: number;
  /** Offset of the element's data. */
  data: number;
  /** Offset of the next element. */
  next: number;
}

/** Walks the bytes of one buffer (the file, or one decompressed variable) with the file's byte order. */
class ElementReader {
  readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
    readonly fileName: string,
    /** Where these bytes came from, for messages about decompressed variables. */
    readonly origin: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(message: string): never {
    throw new TinyRnnInputError(`MAT-file ${this.fileName}: ${message}${this.origin}`);
  }

  need(offset: number, count: number, what: string): void {
    if (offset + count > this.bytes.length) {
      this.fail(
        `truncated: ${what} at byte ${offset} needs ${count} bytes, only ${
          Math.max(0, this.bytes.length - offset)
        } remain`,
      );
    }
  }

  u32(offset: number): number {
    return this.view.getUint32(offset, this.littleEndian);
  }

  /** Read the tag at `offset`, in either the normal or the small (4-byte data) format. */
  tag(offset: number, what: string): Tag {
    this.need(offset, 8, `tag of ${what}`);
    const first = this.u32(offset);
    const small = first >>> 16;
    if (small !== 0) {
      // Small data element: byte count in the upper half of the first word, data in the second word.
      const type = first & 0xffff;
      if (small > 4) this.fail(`corrupt small data element of ${what} at byte ${offset} (${small} bytes)`);
      return { type, nbytes: small, data: offset + 4, next: offset + 8 };
    }
    const nbytes = this.u32(offset + 4);
    this.need(offset + 8, nbytes, `data of ${what}`);
    // Compressed elements are not padded; everything else is padded to 8 bytes.
    const padded = first === MI_COMPRESSED ? nbytes : Math.ceil(nbytes / 8) * 8;
    return { type: first, nbytes, data: offset + 8, next: Math.min(offset + 8 + padded, this.bytes.length) };
  }

  /** Decode the numbers of a numeric data element, in file (column-major) order. */
  numbers(tag: Tag, what: string): Float64Array {
    const size = ELEMENT_SIZE[tag.type];
    if (size === undefined || tag.type === MI_UTF8 || tag.type === MI_UTF16 || tag.type === MI_UTF32) {
      this.fail(`${what} has data type ${tag.type}, which is not a numeric type`);
    }
    if (tag.nbytes % size !== 0) this.fail(`${what}: ${tag.nbytes} bytes is not a whole number of values`);
    const n = tag.nbytes / size;
    const out = new Float64Array(n);
    const v = this.view;
    const le = this.littleEndian;
    let p = tag.data;
    switch (tag.type) {
      case MI_INT8:
        for (let i = 0; i < n; i++) out[i] = v.getInt8(p + i);
        break;
      case MI_UINT8:
        for (let i = 0; i < n; i++) out[i] = this.bytes[p + i];
        break;
      case MI_INT16:
        for (let i = 0; i < n; i++, p += 2) out[i] = v.getInt16(p, le);
        break;
      case MI_UINT16:
        for (let i = 0; i < n; i++, p += 2) out[i] = v.getUint16(p, le);
        break;
      case MI_INT32:
        for (let i = 0; i < n; i++, p += 4) out[i] = v.getInt32(p, le);
        break;
      case MI_UINT32:
        for (let i = 0; i < n; i++, p += 4) out[i] = v.getUint32(p, le);
        break;
      case MI_SINGLE:
        for (let i = 0; i < n; i++, p += 4) out[i] = v.getFloat32(p, le);
        break;
      case MI_DOUBLE:
        for (let i = 0; i < n; i++, p += 8) out[i] = v.getFloat64(p, le);
        break;
      case MI_INT64:
        for (let i = 0; i < n; i++, p += 8) out[i] = Number(v.getBigInt64(p, le));
        break;
      case MI_UINT64:
        for (let i = 0; i < n; i++, p += 8) out[i] = Number(v.getBigUint64(p, le));
        break;
    }
    return out;
  }

  /** Decode a character data element to one string per character (UTF-8/16/32 or 8/16-bit codes). */
  characters(tag: Tag, what: string): string[] {
    const raw = this.bytes.subarray(tag.data, tag.data + tag.nbytes);
    if (tag.type === MI_UTF8) return Array.from(new TextDecoder("utf-8").decode(raw));
    if (tag.type === MI_UTF16) {
      return Array.from(new TextDecoder(this.littleEndian ? "utf-16le" : "utf-16be").decode(raw));
    }
    if (tag.type === MI_UTF32) return Array.from(this.numbers({ ...tag, type: MI_UINT32 }, what), fromCode);
    return Array.from(this.numbers(tag, what), fromCode);
  }

  /** The text of an miINT8 name element, up to the first NUL. */
  text(tag: Tag, what: string): string {
    if (tag.type !== MI_INT8 && tag.type !== MI_UINT8 && tag.type !== MI_UTF8) {
      this.fail(`${what} has data type ${tag.type}, expected a text (miINT8) element`);
    }
    const raw = this.bytes.subarray(tag.data, tag.data + tag.nbytes);
    const end = raw.indexOf(0);
    return new TextDecoder("latin1").decode(end < 0 ? raw : raw.subarray(0, end));
  }
}

function fromCode(code: number): string {
  return String.fromCodePoint(code);
}

/** For each column-major position, the row-major position of the same element. */
function rowMajorPositions(dims: readonly number[]): Int32Array | undefined {
  const count = dims.reduce((a, b) => a * b, 1);
  const nonSingleton = dims.filter((d) => d > 1).length;
  if (nonSingleton <= 1) return undefined; // vectors and scalars read the same either way
  const k = dims.length;
  const rowStride = new Array<number>(k);
  rowStride[k - 1] = 1;
  for (let d = k - 2; d >= 0; d--) rowStride[d] = rowStride[d + 1] * dims[d + 1];
  const out = new Int32Array(count);
  const index = new Array<number>(k).fill(0);
  let target = 0;
  for (let i = 0; i < count; i++) {
    out[i] = target;
    // Advance the column-major counter: the first index runs fastest.
    for (let d = 0; d < k; d++) {
      index[d]++;
      target += rowStride[d];
      if (index[d] < dims[d]) break;
      target -= rowStride[d] * dims[d];
      index[d] = 0;
    }
  }
  return out;
}

function reorder<T extends { [i: number]: unknown; length: number }>(
  values: T,
  dims: readonly number[],
  make: (n: number) => T,
): T {
  const positions = rowMajorPositions(dims);
  if (!positions) return values;
  const out = make(values.length);
  for (let i = 0; i < values.length; i++) out[positions[i]] = values[i];
  return out;
}

/** Decode the miMATRIX element whose data spans `[start, end)`; `what` names it in messages. */
function parseMatrix(r: ElementReader, start: number, end: number, what: string): MatValue {
  if (end === start) return { kind: "numeric", class: "double", dims: [0, 0], data: new Float64Array(0) };
  const sub = (offset: number, label: string): Tag => {
    if (offset >= end) r.fail(`${what}: matrix ends before its ${label}`);
    const t = r.tag(offset, `${label} of ${what}`);
    if (t.data + t.nbytes > end) r.fail(`${what}: ${label} runs past the end of its matrix`);
    return t;
  };
  const flagsTag = sub(start, "array flags");
  if (flagsTag.type !== MI_UINT32 || flagsTag.nbytes < 8) {
    r.fail(`${what}: array flags are not an 8-byte miUINT32 element (type ${flagsTag.type})`);
  }
  const flagWord = r.u32(flagsTag.data);
  const mxClass = flagWord & 0xff;
  const flags = (flagWord >>> 8) & 0xff;
  const dimsTag = sub(flagsTag.next, "dimensions");
  if (dimsTag.type !== MI_INT32) r.fail(`${what}: dimensions are not an miINT32 element`);
  const dims = Array.from(r.numbers(dimsTag, `dimensions of ${what}`));
  if (dims.length < 2 || dims.some((d) => d < 0 || !Number.isInteger(d))) {
    r.fail(`${what}: invalid dimensions [${dims.join(", ")}]`);
  }
  // The name was read by the caller (variables) or is empty (cells, fields); only its length matters here.
  const nameTag = sub(dimsTag.next, "name");
  const label = what;
  const count = dims.reduce((a, b) => a * b, 1);
  let offset = nameTag.next;

  if (NUMERIC_CLASS[mxClass] !== undefined) {
    const realTag = sub(offset, "real part");
    let data = r.numbers(realTag, `real part of ${label}`);
    if (data.length !== count) {
      r.fail(`${label}: real part has ${data.length} values, dimensions [${dims.join(", ")}] need ${count}`);
    }
    data = reorder(data, dims, (n) => new Float64Array(n));
    const cls: MatNumericClass = flags & FLAG_LOGICAL ? "logical" : NUMERIC_CLASS[mxClass];
    const value: MatNumeric = { kind: "numeric", class: cls, dims, data };
    if (flags & FLAG_COMPLEX) {
      const imagTag = sub(realTag.next, "imaginary part");
      const imag = r.numbers(imagTag, `imaginary part of ${label}`);
      if (imag.length !== count) {
        r.fail(`${label}: imaginary part has ${imag.length} values, expected ${count}`);
      }
      value.imag = reorder(imag, dims, (n) => new Float64Array(n));
    }
    return value;
  }
  if (mxClass === MX_CHAR) {
    const charTag = count === 0 && offset >= end ? undefined : sub(offset, "characters");
    const chars = charTag ? r.characters(charTag, `characters of ${label}`) : [];
    if (chars.length !== count) {
      r.fail(
        `${label}: char array has ${chars.length} characters, dimensions [${dims.join(", ")}] need ${count}`,
      );
    }
    const nRows = dims[0];
    const nCols = nRows === 0 ? 0 : count / nRows;
    const rows: string[] = [];
    for (let i = 0; i < nRows; i++) {
      let row = "";
      for (let j = 0; j < nCols; j++) row += chars[i + nRows * j];
      rows.push(row);
    }
    return { kind: "char", dims, rows };
  }
  if (mxClass === MX_CELL) {
    const cells: MatValue[] = [];
    for (let i = 0; i < count; i++) {
      const t = sub(offset, `cell ${i}`);
      if (t.type !== MI_MATRIX) r.fail(`${label}: cell ${i} is not an miMATRIX element (type ${t.type})`);
      cells.push(parseMatrix(r, t.data, t.data + t.nbytes, `${label}{${i}}`));
      offset = t.next;
    }
    return { kind: "cell", dims, cells: reorder(cells, dims, (n) => new Array<MatValue>(n)) };
  }
  if (mxClass === MX_STRUCT || mxClass === MX_OBJECT) {
    let className: string | undefined;
    if (mxClass === MX_OBJECT) {
      const classTag = sub(offset, "class name");
      className = r.text(classTag, `class name of ${label}`);
      offset = classTag.next;
    }
    const lengthTag = sub(offset, "field name length");
    const nameLength = r.numbers(lengthTag, `field name length of ${label}`)[0];
    const namesTag = sub(lengthTag.next, "field names");
    if (!(nameLength > 0) || namesTag.nbytes % nameLength !== 0) {
      r.fail(
        `${label}: field names (${namesTag.nbytes} bytes) do not fit the field name length ${nameLength}`,
      );
    }
    const fields: string[] = [];
    for (let f = 0; f < namesTag.nbytes / nameLength; f++) {
      const start = namesTag.data + f * nameLength;
      fields.push(r.text({ ...namesTag, data: start, nbytes: nameLength }, `field names of ${label}`));
    }
    offset = namesTag.next;
    const elements: Record<string, MatValue>[] = [];
    for (let i = 0; i < count; i++) {
      const element: Record<string, MatValue> = {};
      for (const field of fields) {
        const t = sub(offset, `field ${field}`);
        if (t.type !== MI_MATRIX) {
          r.fail(`${label}: field ${field} is not an miMATRIX element (type ${t.type})`);
        }
        const where = count === 1 ? `${label}.${field}` : `${label}(${i}).${field}`;
        element[field] = parseMatrix(r, t.data, t.data + t.nbytes, where);
        offset = t.next;
      }
      elements.push(element);
    }
    const value: MatStruct = {
      kind: "struct",
      dims,
      fields,
      elements: reorder(elements, dims, (n) => new Array<Record<string, MatValue>>(n)),
    };
    if (className !== undefined) value.className = className;
    return value;
  }
  const unsupported = UNSUPPORTED_CLASS[mxClass];
  r.fail(
    `${label} has ${
      unsupported ? `the unsupported class ${unsupported}` : `an unknown array class ${mxClass}`
    }`,
  );
}

/** The variable name of an miMATRIX element without decoding its data. */
function peekName(r: ElementReader, start: number, end: number): string {
  if (end === start) return "";
  const flagsTag = r.tag(start, "array flags");
  const dimsTag = r.tag(flagsTag.next, "dimensions");
  if (dimsTag.next >= end) return "";
  return r.text(r.tag(dimsTag.next, "name"), "variable name");
}

/**
 * The name of the variable in a compressed element, from the first bytes of its stream only, so that
 * unwanted variables (spike counts next to the behaviour) need not be decompressed; `undefined` when the
 * prefix is not enough.
 */
function peekCompressedName(r: ElementReader, tag: Tag): string | undefined {
  try {
    const prefix = r.bytes.subarray(tag.data, tag.data + Math.min(tag.nbytes, 1024));
    const head = inflateSync(prefix, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const inner = new ElementReader(new Uint8Array(head), r.littleEndian, r.fileName, "");
    if (inner.bytes.length < 8 || inner.u32(0) !== MI_MATRIX || inner.u32(4) === 0) return undefined;
    return peekName(inner, 8, Infinity);
  } catch {
    return undefined;
  }
}

function inflate(r: ElementReader, tag: Tag, offset: number): Uint8Array {
  try {
    return new Uint8Array(inflateSync(r.bytes.subarray(tag.data, tag.data + tag.nbytes)));
  } catch (error) {
    r.fail(
      `the compressed element at byte ${offset} cannot be decompressed (truncated or corrupt: ${
        (error as Error).message
      })`,
    );
  }
}

/**
 * Parse the bytes of a MAT v5 file.
 *
 * @throws {TinyRnnInputError} for bytes that are not a MAT v5 file (including v4 and v7.3/HDF5 files),
 *   truncated or corrupt data, an unsupported class in a variable that is read, or a requested variable
 *   that is missing; each message names the file.
 * @example
 * ```ts
 * const mat = parseMat(Deno.readFileSync("session.mat"), { variables: ["Y"], fileName: "session.mat" });
 * const y = mat.variables.Y; // { kind: "numeric", class: "double", dims: [1956, 13], data: Float64Array }
 * ```
 */
export function parseMat(bytes: Uint8Array, options: MatReadOptions = {}): MatFile {
  const fileName = options.fileName ?? "<bytes>";
  const notMat = (why: string): never => {
    throw new TinyRnnInputError(`${fileName} is not a MATLAB v5 MAT-file: ${why}`);
  };
  if (bytes.length < 128) notMat(`it has ${bytes.length} bytes, fewer than the 128-byte header`);
  const header = new TextDecoder("latin1").decode(bytes.subarray(0, 116)).replace(/[\s\0]+$/, "");
  if (header.startsWith("MATLAB 7.3")) {
    notMat("it is a MATLAB 7.3 (HDF5) file; re-save it in MATLAB with save(..., '-v7')");
  }
  if (bytes[0] === 0 || bytes[1] === 0 || bytes[2] === 0 || bytes[3] === 0) {
    notMat("its header starts with zero bytes (a MATLAB v4 file, or not a MAT-file)");
  }
  const endian = String.fromCharCode(bytes[126], bytes[127]);
  if (endian !== "IM" && endian !== "MI") {
    notMat(`the endian indicator is ${JSON.stringify(endian)}, expected "IM" or "MI"`);
  }
  const littleEndian = endian === "IM";
  const file = new ElementReader(bytes, littleEndian, fileName, "");
  const version = new DataView(bytes.buffer, bytes.byteOffset + 124, 2).getUint16(0, littleEndian);
  if (version !== 0x0100) notMat(`header version is 0x${version.toString(16)}, expected 0x0100`);
  const subsystemOffset = subsystemDataOffset(bytes, littleEndian);

  const wanted = options.variables ? new Set(options.variables) : undefined;
  const variables: Record<string, MatValue> = {};
  const seen: string[] = [];
  let offset = 128;
  while (offset < bytes.length) {
    if (bytes.length - offset < 8 && bytes.subarray(offset).every((b) => b === 0)) break;
    const tag = file.tag(offset, `the element at byte ${offset}`);
    if (offset === subsystemOffset) {
      offset = tag.next; // MATLAB's private data for new-style objects, not a variable
      continue;
    }
    let reader = file;
    let matrix = tag;
    if (tag.type === MI_COMPRESSED) {
      const name = wanted ? peekCompressedName(file, tag) : undefined;
      if (name !== undefined && !wanted?.has(name)) {
        seen.push(name);
        offset = tag.next;
        continue;
      }
      const inflated = inflate(file, tag, offset);
      reader = new ElementReader(
        inflated,
        littleEndian,
        fileName,
        ` (in the compressed element at byte ${offset})`,
      );
      matrix = reader.tag(0, "the compressed variable");
    }
    if (matrix.type === MI_MATRIX) {
      const end = matrix.data + matrix.nbytes;
      const name = peekName(reader, matrix.data, end);
      seen.push(name);
      if (!wanted || wanted.has(name)) {
        variables[name] = parseMatrix(reader, matrix.data, end, `variable "${name}"`);
      }
    } else if (!ELEMENT_SIZE[matrix.type]) {
      file.fail(`unknown data element type ${matrix.type} at byte ${offset}`);
    }
    offset = tag.next;
  }
  for (const name of wanted ?? []) {
    if (!(name in variables)) {
      const hint = suggest(name, seen);
      throw new TinyRnnInputError(
        `MAT-file ${fileName} has no variable "${name}"${
          hint ? ` (did you mean "${hint}"?)` : ""
        }; it holds: ${seen.join(", ") || "no variables"}`,
      );
    }
  }
  return { header, littleEndian, variables };
}

/** The offset of the subsystem data element, or -1 when the header says there is none. */
function subsystemDataOffset(bytes: Uint8Array, littleEndian: boolean): number {
  const field = bytes.subarray(116, 124);
  if (field.every((b) => b === 0) || field.every((b) => b === 0x20)) return -1;
  const value = new DataView(bytes.buffer, bytes.byteOffset + 116, 8).getBigUint64(0, littleEndian);
  return value < BigInt(bytes.length) ? Number(value) : -1;
}

/**
 * Read a MAT v5 file from disk (see {@link parseMat}).
 *
 * @example
 * ```ts
 * const { variables } = readMat("session.mat", { variables: ["Y"] });
 * ```
 */
export function readMat(path: string, options: Omit<MatReadOptions, "fileName"> = {}): MatFile {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch (error) {
    throw new TinyRnnInputError(`cannot read MAT-file ${path}: ${(error as Error).message}`);
  }
  return parseMat(bytes, { ...options, fileName: path });
}

/** The rows of a 2-D numeric array, as arrays of numbers. */
export function matRows(value: MatNumeric): number[][] {
  if (value.dims.length !== 2) throw new TinyRnnInputError(`expected a 2-D array, got dims [${value.dims}]`);
  const [nRows, nCols] = value.dims;
  const rows: number[][] = [];
  for (let i = 0; i < nRows; i++) rows.push(Array.from(value.data.subarray(i * nCols, (i + 1) * nCols)));
  return rows;
}
