/**
 * Choosing and starting the tfjs backend of the tfjs engine: `webgpu` when the runtime exposes a hardware GPU
 * adapter, else `wasm`, else `cpu`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { checkChoice } from "../../options.ts";

/** A tfjs backend the engine can run on. */
export type TfjsBackendName = "webgpu" | "wasm" | "cpu";

/** Which backend to use: a name, or `"auto"` for the fastest one available. */
export type TfjsBackendChoice = TfjsBackendName | "auto";

/** Every backend name, fastest first. */
export const TFJS_BACKENDS: readonly TfjsBackendName[] = ["webgpu", "wasm", "cpu"];

/** The backend that runs, and why it was picked. */
export interface TfjsBackendReport {
  /** The active tfjs backend. */
  backend: TfjsBackendName;
  /** One line on why (e.g. "no hardware GPU adapter (llvmpipe is a software rasteriser); wasm with SIMD"). */
  reason: string;
}

const SOFTWARE_ADAPTERS = /llvmpipe|lavapipe|swiftshader|software|microsoft basic render/i;

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { description?: string; device?: string; vendor?: string };
}

/**
 * Whether `navigator.gpu` gives a hardware adapter. A software adapter (Mesa's llvmpipe, SwiftShader) runs
 * WebGPU on the CPU and is slower than the wasm backend, so it does not count. Returns a description or why not.
 *
 * @example
 * ```ts
 * const { ok, detail } = await hardwareGpu();
 * console.log(ok ? `GPU: ${detail}` : `no GPU (${detail})`);
 * ```
 */
export async function hardwareGpu(): Promise<{ ok: boolean; detail: string }> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) return { ok: false, detail: "navigator.gpu is absent" };
  let adapter: GpuAdapterLike | null = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return { ok: false, detail: `requestAdapter failed: ${error instanceof Error ? error.message : error}` };
  }
  if (!adapter) return { ok: false, detail: "navigator.gpu gives no adapter" };
  const name = [adapter.info?.description, adapter.info?.device, adapter.info?.vendor].filter(Boolean).join(
    " ",
  );
  if (adapter.isFallbackAdapter || SOFTWARE_ADAPTERS.test(name)) {
    return { ok: false, detail: `the only adapter is a software one (${name || "fallback adapter"})` };
  }
  return { ok: true, detail: name || "GPU adapter" };
}

/** Folder of the wasm binaries in the project's node_modules (tfjs looks next to the page otherwise). */
function wasmFolder(): string | undefined {
  try {
    const entry = import.meta.resolve("@tensorflow/tfjs-backend-wasm");
    if (!entry.startsWith("file:")) return undefined;
    return new URL("./", entry).href;
  } catch {
    return undefined;
  }
}

let registered: Promise<void> | undefined;

/** Import the optional backends once; a backend that fails to load is simply not offered. */
function registerBackends(): Promise<void> {
  registered ??= (async () => {
    try {
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      const folder = wasmFolder();
      if (folder) wasm.setWasmPaths(folder);
    } catch {
      // The wasm backend is optional: cpu remains.
    }
    try {
      await import("@tensorflow/tfjs-backend-webgpu");
    } catch {
      // The webgpu backend is optional.
    }
  })();
  return registered;
}

let current: TfjsBackendReport | undefined;

/**
 * Start a tfjs backend and make it the active one. `"auto"` tries webgpu (hardware adapter only), then wasm,
 * then cpu; a named backend that fails to start is an error. The choice is remembered, so later calls with
 * the same choice cost nothing.
 *
 * @example
 * ```ts
 * const { backend, reason } = await useTfjsBackend("auto");
 * console.log(`tfjs runs on ${backend}: ${reason}`);
 * ```
 */
export async function useTfjsBackend(choice: TfjsBackendChoice = "auto"): Promise<TfjsBackendReport> {
  checkChoice("tfjs engine", "backend", choice, ["auto", ...TFJS_BACKENDS]);
  if (current && (choice === "auto" || choice === current.backend) && tf.getBackend() === current.backend) {
    return current;
  }
  await registerBackends();
  const start = async (name: TfjsBackendName) => {
    try {
      return (await tf.setBackend(name)) && tf.getBackend() === name;
    } catch {
      return false;
    }
  };
  if (choice !== "auto") {
    if (!(await start(choice))) throw new Error(`the tfjs backend "${choice}" failed to start here`);
    current = { backend: choice, reason: "asked for by name" };
    return current;
  }
  const gpu = await hardwareGpu();
  if (gpu.ok && (await start("webgpu"))) {
    current = { backend: "webgpu", reason: `hardware GPU adapter: ${gpu.detail}` };
  } else if (await start("wasm")) {
    const simd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT") ? "with" : "without";
    current = {
      backend: "wasm",
      reason: `${gpu.ok ? "webgpu failed to start" : gpu.detail}; wasm ${simd} SIMD`,
    };
  } else if (await start("cpu")) {
    current = { backend: "cpu", reason: `${gpu.detail}; wasm failed to start` };
  } else {
    throw new Error("no tfjs backend could start (webgpu, wasm and cpu all failed)");
  }
  return current;
}
