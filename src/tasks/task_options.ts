/**
 * Validation helpers shared by the task factories.
 *
 * @module
 */

import { checkNumber, TinyRnnInputError } from "../options.ts";

/** A pair of probabilities in [0, 1]. */
export function checkProbabilityPair(where: string, name: string, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new TinyRnnInputError(
      `${where}: ${name} must be an array of 2 probabilities, got ${JSON.stringify(value)}`,
    );
  }
  return [
    checkNumber(where, `${name}[0]`, value[0], { min: 0, max: 1 }),
    checkNumber(where, `${name}[1]`, value[1], { min: 0, max: 1 }),
  ];
}

/** A block length: an integer ≥ 1. */
export function checkBlockLength(where: string, name: string, value: unknown): number {
  return checkNumber(where, name, value, { min: 1, integer: true });
}
