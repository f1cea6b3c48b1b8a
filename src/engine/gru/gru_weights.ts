/**
 * Where a GRU's tensors sit in the flat weights, and the input projections every GRU pass forms first: the
 * pieces the unrolled, fused and batched passes share, so that they read the weights, and sum the projections,
 * the same way (the passes' bit identity rests on it).
 *
 * @module
 */

import type { Network } from "../../rnn/network.ts";

/** Offsets of the GRU tensors `[W_ih, W_hh, b_ih, b_hh]` in the flat weights. */
export function gruOffsets(net: Network): [number, number, number, number] {
  const at = (name: string) => net.parameters.find((p) => p.name === name)!.offset;
  return [at("rnn.weight_ih_l0"), at("rnn.weight_hh_l0"), at("rnn.bias_ih_l0"), at("rnn.bias_hh_l0")];
}

/**
 * `W_ih x + b_ih` of each of the `count` distinct inputs `vectors` (I numbers each) into `proj` (`count x 3d`,
 * gates r, z, n): each row summed over the inputs in order, then the bias added, as the GRU step forms it.
 */
export function projectDistinctInputs(
  w: Float64Array,
  wih: number,
  bih: number,
  vectors: Float64Array,
  count: number,
  I: number,
  d: number,
  proj: Float64Array,
): void {
  const D3 = 3 * d;
  for (let u = 0; u < count; u++) {
    for (let row = 0; row < D3; row++) {
      let s = 0;
      for (let k = 0; k < I; k++) s += w[wih + row * I + k] * vectors[u * I + k];
      proj[u * D3 + row] = s + w[bih + row];
    }
  }
}
