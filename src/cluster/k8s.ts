/**
 * Kubernetes manifests for a sharded cross-validation: an Indexed Job whose pod with completion index i
 * trains shard i into a results folder on a shared PersistentVolumeClaim, and a merge Job.
 *
 * Kubernetes has no dependency between Jobs, so the apply script waits for the Indexed Job to complete
 * before it creates the merge Job.
 *
 * @module
 */

import { rejectUnknownKeys, TinyRnnInputError } from "../options.ts";
import { checkCommand, checkFitArgs, checkShards, DEFAULT_FIT_COMMAND } from "./fit_command.ts";
import { shellQuote } from "./shell.ts";
import { toYaml, type YamlValue } from "./yaml.ts";

/** Options of a Kubernetes sharded run. `shards`, `fitArgs` and `image` are required. */
export interface K8sOptions {
  /** Number of shards N = the Job's completions; the pod with completion index i trains shard i. */
  shards: number;
  /** Pods running at once (`parallelism`). Default: `shards`. */
  parallel?: number;
  /** Arguments of the fit command, without `--shard`/`--merge`; `--out` must lie under `mountPath`. */
  fitArgs: readonly string[];
  /** Container image holding deno and the project (with its node_modules) in `workingDir`. */
  image: string;
  /** The command that trains. Default `["deno", "task", "fit"]`. */
  command?: readonly string[];
  /** Job name (a DNS label of at most 50 characters); the merge Job is `<name>-merge`. Default `"tinyrnn-fit"`. */
  name?: string;
  /** Namespace of the Jobs. Default: kubectl's current namespace (no `namespace` field). */
  namespace?: string;
  /** Folder of the project inside the image. Default `"/app"`. */
  workingDir?: string;
  /** Name of the PersistentVolumeClaim holding the results (ReadWriteMany when pods share nodes or not). Default `"tinyrnn-results"`. */
  claimName?: string;
  /** Where the claim is mounted in every pod. Default `"/results"`. */
  mountPath?: string;
  /** CPU request and limit per pod, e.g. `"1"` or `"500m"`. Default `"1"`. */
  cpu?: string;
  /** Memory request and limit per pod, e.g. `"2Gi"`. Default `"2Gi"`. */
  memory?: string;
  /** Failed pods tolerated across all indexes before the Job fails (`backoffLimit`). Default 6. */
  backoffLimit?: number;
  /** Failed pods tolerated per index (`backoffLimitPerIndex`, Kubernetes >= 1.29). Default: not set. */
  backoffLimitPerIndex?: number;
  /** Size of a PersistentVolumeClaim to create as well, e.g. `"10Gi"`. Default: none (the claim exists). */
  storage?: string;
  /** Storage class of that claim. Default: the cluster's default class. */
  storageClassName?: string;
}

/** The manifests and the script that applies them in order. */
export interface K8sManifests {
  /** The Indexed Job (YAML). */
  job: string;
  /** The merge Job (YAML). */
  merge: string;
  /** The PersistentVolumeClaim (YAML), when `storage` was given. */
  claim?: string;
  /** A bash script: apply the claim and the Job, wait for completion, apply the merge Job. */
  apply: string;
}

const K8S_KEYS = [
  "shards",
  "parallel",
  "fitArgs",
  "image",
  "command",
  "name",
  "namespace",
  "workingDir",
  "claimName",
  "mountPath",
  "cpu",
  "memory",
  "backoffLimit",
  "backoffLimitPerIndex",
  "storage",
  "storageClassName",
] as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUANTITY = /^\d+(\.\d+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$/;
const ABSOLUTE_PATH = /^\/[^\s]*$/;

function checkLabel(name: string, value: string, maxLength: number): string {
  if (typeof value !== "string" || !DNS_LABEL.test(value) || value.length > maxLength) {
    throw new TinyRnnInputError(
      `k8s: ${name} must be lower-case letters, digits and '-', at most ${maxLength} characters, got ${
        JSON.stringify(value)
      }`,
    );
  }
  return value;
}

function checkQuantity(name: string, value: string, example: string): string {
  if (typeof value !== "string" || !QUANTITY.test(value)) {
    throw new TinyRnnInputError(
      `k8s: ${name} must be a Kubernetes quantity like ${example}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function checkCount(name: string, value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    throw new TinyRnnInputError(`k8s: ${name} must be an integer >= 0, got ${value}`);
  }
  return value;
}

/** Kubernetes expands `$(VAR)` in command and args and turns `$$` into `$`: keep the user's `$` literal. */
function literal(word: string): string {
  return word.replaceAll("$", "$$$$");
}

interface CheckedK8sOptions {
  shards: number;
  parallel: number;
  fitArgs: readonly string[];
  image: string;
  command: readonly string[];
  name: string;
  namespace?: string;
  workingDir: string;
  claimName: string;
  mountPath: string;
  cpu: string;
  memory: string;
  backoffLimit: number;
  backoffLimitPerIndex?: number;
  storage?: string;
  storageClassName?: string;
}

function checkK8sOptions(options: K8sOptions): CheckedK8sOptions {
  const where = "k8s";
  if (typeof options !== "object" || options === null) {
    throw new TinyRnnInputError(`${where}: options must be an object`);
  }
  rejectUnknownKeys(where, options, K8S_KEYS);
  const { shards, parallel } = checkShards(where, options.shards, options.parallel);
  const out = checkFitArgs(where, options.fitArgs);
  if (typeof options.image !== "string" || options.image.trim() === "" || /\s/.test(options.image)) {
    throw new TinyRnnInputError(
      `${where}: image is required: a container image with deno and the project, e.g. "registry.example.org/lab/tinyrnn:0.1.0"`,
    );
  }
  const mountPath = options.mountPath ?? "/results";
  if (!ABSOLUTE_PATH.test(mountPath)) {
    throw new TinyRnnInputError(
      `${where}: mountPath must be an absolute path, got ${JSON.stringify(mountPath)}`,
    );
  }
  const root = mountPath.replace(/\/+$/, "");
  if (out !== root && !out.startsWith(`${root}/`)) {
    throw new TinyRnnInputError(
      `${where}: --out ${out} is not on the results volume; use a folder under ${mountPath}, e.g. --out ${root}/cv`,
    );
  }
  const workingDir = options.workingDir ?? "/app";
  if (!ABSOLUTE_PATH.test(workingDir)) {
    throw new TinyRnnInputError(
      `${where}: workingDir must be an absolute path, got ${JSON.stringify(workingDir)}`,
    );
  }
  return {
    shards,
    parallel: parallel ?? shards,
    fitArgs: options.fitArgs,
    image: options.image,
    command: checkCommand(where, options.command ?? DEFAULT_FIT_COMMAND),
    // Pods of an Indexed Job get the hostname <name>-<index>, which must stay a DNS label too.
    name: checkLabel("name", options.name ?? "tinyrnn-fit", 50),
    namespace: options.namespace === undefined ? undefined : checkLabel("namespace", options.namespace, 63),
    workingDir,
    claimName: checkLabel("claimName", options.claimName ?? "tinyrnn-results", 63),
    mountPath,
    cpu: checkQuantity("cpu", options.cpu ?? "1", `"1" or "500m"`),
    memory: checkQuantity("memory", options.memory ?? "2Gi", `"2Gi"`),
    backoffLimit: checkCount("backoffLimit", options.backoffLimit ?? 6)!,
    backoffLimitPerIndex: checkCount("backoffLimitPerIndex", options.backoffLimitPerIndex),
    storage: options.storage === undefined ? undefined : checkQuantity("storage", options.storage, `"10Gi"`),
    storageClassName: options.storageClassName === undefined
      ? undefined
      : checkLabel("storageClassName", options.storageClassName, 253),
  };
}

function metadata(o: CheckedK8sOptions, name: string, component: string): YamlValue {
  return {
    name,
    namespace: o.namespace,
    labels: { "app.kubernetes.io/name": "tinyrnn", "app.kubernetes.io/component": component },
  };
}

function podSpec(o: CheckedK8sOptions, containerName: string, args: string[]): YamlValue {
  const quantities = { cpu: o.cpu, memory: o.memory };
  return {
    restartPolicy: "Never",
    containers: [{
      name: containerName,
      image: o.image,
      workingDir: o.workingDir,
      command: o.command.map(literal),
      args,
      resources: { requests: quantities, limits: quantities },
      volumeMounts: [{ name: "results", mountPath: o.mountPath }],
    }],
    volumes: [{ name: "results", persistentVolumeClaim: { claimName: o.claimName } }],
  };
}

/**
 * The Indexed Job: `completionMode: Indexed`, `completions: N`, `parallelism: K`; each pod runs the fit
 * command with `--shard $(JOB_COMPLETION_INDEX)/N` (Kubernetes fills in the completion index).
 *
 * @example
 * ```ts
 * k8sJobManifest({ shards: 8, parallel: 4, image: "lab/tinyrnn:0.1", fitArgs: ["--out", "/results/cv"] });
 * // completionMode: "Indexed" ... args: [..., "--shard", "$(JOB_COMPLETION_INDEX)/8"]
 * ```
 */
export function k8sJobManifest(options: K8sOptions): string {
  const o = checkK8sOptions(options);
  return toYaml({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: metadata(o, o.name, "fit"),
    spec: {
      completionMode: "Indexed",
      completions: o.shards,
      parallelism: o.parallel,
      backoffLimit: o.backoffLimit,
      backoffLimitPerIndex: o.backoffLimitPerIndex,
      template: {
        metadata: { labels: { "app.kubernetes.io/name": "tinyrnn", "app.kubernetes.io/component": "fit" } },
        spec: podSpec(o, "fit", [
          ...o.fitArgs.map(literal),
          "--shard",
          `$(JOB_COMPLETION_INDEX)/${o.shards}`,
        ]),
      },
    },
  });
}

/** The merge Job: one pod running the fit command with `--merge` on the same volume. */
export function k8sMergeManifest(options: K8sOptions): string {
  const o = checkK8sOptions(options);
  return toYaml({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: metadata(o, `${o.name}-merge`, "merge"),
    spec: {
      completions: 1,
      parallelism: 1,
      backoffLimit: 2,
      template: {
        metadata: { labels: { "app.kubernetes.io/name": "tinyrnn", "app.kubernetes.io/component": "merge" } },
        spec: podSpec(o, "merge", [...o.fitArgs.map(literal), "--merge"]),
      },
    },
  });
}

/** The PersistentVolumeClaim for the results (ReadWriteMany: pods on several nodes write to it), if `storage` is set. */
export function k8sClaimManifest(options: K8sOptions): string | undefined {
  const o = checkK8sOptions(options);
  if (o.storage === undefined) return undefined;
  return toYaml({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: metadata(o, o.claimName, "results"),
    spec: {
      accessModes: ["ReadWriteMany"],
      storageClassName: o.storageClassName,
      resources: { requests: { storage: o.storage } },
    },
  });
}

/**
 * All manifests of a run plus `apply`, a bash script that applies them in order: claim, Job, wait until
 * the Job is Complete (or stop if it Failed), merge Job.
 */
export function k8sManifests(options: K8sOptions): K8sManifests {
  const o = checkK8sOptions(options);
  const claim = k8sClaimManifest(options);
  const ns = o.namespace === undefined ? "" : ` --namespace ${shellQuote(o.namespace)}`;
  const apply = [
    "#!/bin/bash",
    "# Apply the tinyrnn Indexed Job, wait for it, then apply the merge Job (Kubernetes Jobs have no dependencies).",
    "set -euo pipefail",
    'here=$(dirname "$0")',
    ...(claim === undefined ? [] : [`kubectl apply${ns} -f "$here/claim.yaml"`]),
    `kubectl apply${ns} -f "$here/job.yaml"`,
    "while :; do",
    `  state=$(kubectl get job${ns} ${o.name} -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type} {end}')`,
    '  case " $state " in',
    "    *' Complete '*) break ;;",
    `    *' Failed '*) echo "job ${o.name} failed; rerun it (finished instances are kept) after fixing the cause" >&2; exit 1 ;;`,
    "  esac",
    "  sleep 30",
    "done",
    `kubectl apply${ns} -f "$here/merge.yaml"`,
    "",
  ].join("\n");
  return { job: k8sJobManifest(options), merge: k8sMergeManifest(options), claim, apply };
}
