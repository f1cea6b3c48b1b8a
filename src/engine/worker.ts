/**
 * Worker thread of `trainMany`: receives a data set's tensors once, then trains the jobs it is handed.
 *
 * @module
 */

import { type EncodedTensors, trainEncodedJob } from "./encoded.ts";

let tensors: EncodedTensors = {};
let nActions = 2;

/** The worker's global scope, typed for the two members used here. */
const scope = self as unknown as {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
};

scope.onmessage = (event: MessageEvent) => {
  const msg = event.data;
  if (msg.type === "data") {
    tensors = msg.tensors;
    nActions = msg.nActions;
    return;
  }
  if (msg.type !== "job") return;
  try {
    const onEpoch = msg.progress
      ? (epoch: number, valLoss: number) =>
        scope.postMessage({ type: "progress", index: msg.index, epoch, valLoss })
      : undefined;
    const result = trainEncodedJob(tensors, nActions, msg.job, onEpoch, msg.every);
    scope.postMessage({ type: "done", index: msg.index, result }, [result.flatWeights.buffer as ArrayBuffer]);
  } catch (error) {
    scope.postMessage({
      type: "error",
      index: msg.index,
      message: error instanceof Error ? error.message : String(error),
    });
  }
};
