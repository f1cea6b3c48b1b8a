/**
 * Numbers as text in data files: written in JavaScript's shortest round-trip form, so that reading them back
 * gives the same float64 bits.
 *
 * @module
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL: Record<string, number> = {
  "nan": NaN,
  "+nan": NaN,
  "-nan": NaN,
  "inf": Infinity,
  "+inf": Infinity,
  "infinity": Infinity,
  "+infinity": Infinity,
  "-inf": -Infinity,
  "-infinity": -Infinity,
};

/**
 * The number a cell's text spells, or `undefined` when it is not a number. Accepts decimal and exponent
 * notation and the NaN/Infinity spellings of JavaScript, Python and R (`nan`, `inf`, `-Infinity`, ...); not
 * hexadecimal, not empty text.
 */
export function parseNumberText(text: string): number | undefined {
  const trimmed = text.trim();
  if (DECIMAL.test(trimmed)) return Number(trimmed);
  const special = SPECIAL[trimmed.toLowerCase()];
  return special;
}

/** Shortest text that reads back as exactly `value` (`-0` kept); NaN is written as empty text (a missing cell). */
export function formatNumberText(value: number): string {
  if (Number.isNaN(value)) return "";
  if (Object.is(value, -0)) return "-0";
  return String(value);
}
