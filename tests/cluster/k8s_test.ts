import assert from "node:assert/strict";
import {
  k8sClaimManifest,
  k8sJobManifest,
  k8sManifests,
  k8sMergeManifest,
  type K8sOptions,
} from "../../src/cluster/k8s.ts";
import { parseYamlSubset } from "./yaml_subset.ts";

// No Kubernetes cluster is available here: the manifests are checked field by field against what an
// Indexed Job needs (batch/v1 Job spec), by reading the generated YAML back.

const base: K8sOptions = {
  shards: 6,
  parallel: 3,
  image: "registry.example.org/lab/tinyrnn:0.1.0",
  fitArgs: ["--cell", "gru", "--hidden", "1,2", "--out", "/results/cv"],
  cpu: "2",
  memory: "4Gi",
  backoffLimit: 4,
};

// deno-lint-ignore no-explicit-any
type Doc = any;

Deno.test("Indexed Job: completionMode Indexed, completions N, parallelism K, backoffLimit, restartPolicy Never", () => {
  const job: Doc = parseYamlSubset(k8sJobManifest(base));
  assert.equal(job.apiVersion, "batch/v1");
  assert.equal(job.kind, "Job");
  assert.equal(job.metadata.name, "tinyrnn-fit");
  assert.equal(job.spec.completionMode, "Indexed");
  assert.equal(job.spec.completions, 6);
  assert.equal(job.spec.parallelism, 3);
  assert.equal(job.spec.backoffLimit, 4);
  assert.equal(job.spec.backoffLimitPerIndex, undefined);
  const pod = job.spec.template.spec;
  assert.equal(pod.restartPolicy, "Never");
  assert.equal(pod.containers.length, 1);
});

Deno.test("Indexed Job: the completion index is the shard; results on the PersistentVolumeClaim; resources", () => {
  const pod: Doc = (parseYamlSubset(k8sJobManifest(base)) as Doc).spec.template.spec;
  const [container] = pod.containers;
  assert.equal(container.image, base.image);
  assert.equal(container.workingDir, "/app");
  assert.deepEqual(container.command, ["deno", "task", "fit"]);
  assert.deepEqual(container.args, [...base.fitArgs, "--shard", "$(JOB_COMPLETION_INDEX)/6"]);
  assert.deepEqual(container.resources, {
    requests: { cpu: "2", memory: "4Gi" },
    limits: { cpu: "2", memory: "4Gi" },
  });
  assert.deepEqual(container.volumeMounts, [{ name: "results", mountPath: "/results" }]);
  assert.deepEqual(pod.volumes, [{
    name: "results",
    persistentVolumeClaim: { claimName: "tinyrnn-results" },
  }]);
});

Deno.test("Indexed Job: defaults (parallelism N, backoffLimit 6) and optional fields", () => {
  const job: Doc = parseYamlSubset(
    k8sJobManifest({
      shards: 5,
      image: "x/y:1",
      fitArgs: ["--out", "/data/out"],
      mountPath: "/data",
      claimName: "lab-pvc",
      name: "cv-gru",
      namespace: "mattar",
      backoffLimitPerIndex: 1,
    }),
  );
  assert.equal(job.spec.parallelism, 5);
  assert.equal(job.spec.backoffLimit, 6);
  assert.equal(job.spec.backoffLimitPerIndex, 1);
  assert.equal(job.metadata.namespace, "mattar");
  assert.equal(job.metadata.name, "cv-gru");
  assert.equal(job.spec.template.spec.volumes[0].persistentVolumeClaim.claimName, "lab-pvc");
  assert.equal(job.spec.template.spec.containers[0].volumeMounts[0].mountPath, "/data");
});

Deno.test("Indexed Job: a literal $ in user arguments is escaped from Kubernetes' $(VAR) expansion", () => {
  const job: Doc = parseYamlSubset(
    k8sJobManifest({ ...base, fitArgs: ["--out", "/results/a$(b)", "--x", "$$"] }),
  );
  assert.deepEqual(job.spec.template.spec.containers[0].args.slice(0, 4), [
    "--out",
    "/results/a$$(b)",
    "--x",
    "$$$$",
  ]);
});

Deno.test("merge Job: one pod running fit --merge on the same volume", () => {
  const merge: Doc = parseYamlSubset(k8sMergeManifest(base));
  assert.equal(merge.kind, "Job");
  assert.equal(merge.metadata.name, "tinyrnn-fit-merge");
  assert.equal(merge.spec.completionMode, undefined);
  assert.equal(merge.spec.completions, 1);
  const pod = merge.spec.template.spec;
  assert.equal(pod.restartPolicy, "Never");
  assert.deepEqual(pod.containers[0].args, [...base.fitArgs, "--merge"]);
  assert.deepEqual(pod.volumes, [{
    name: "results",
    persistentVolumeClaim: { claimName: "tinyrnn-results" },
  }]);
});

Deno.test("claim and apply script: ReadWriteMany claim when storage is given; apply waits before merging", () => {
  assert.equal(k8sClaimManifest(base), undefined);
  const all = k8sManifests({ ...base, storage: "20Gi", storageClassName: "nfs" });
  const claim: Doc = parseYamlSubset(all.claim!);
  assert.equal(claim.kind, "PersistentVolumeClaim");
  assert.equal(claim.metadata.name, "tinyrnn-results");
  assert.deepEqual(claim.spec.accessModes, ["ReadWriteMany"]);
  assert.equal(claim.spec.storageClassName, "nfs");
  assert.equal(claim.spec.resources.requests.storage, "20Gi");
  const order = ["claim.yaml", "job.yaml", "get job", "merge.yaml"].map((s) => all.apply.indexOf(s));
  assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), all.apply);
});

Deno.test("k8s options are validated with actionable messages", () => {
  assert.throws(() => k8sJobManifest({ ...base, imag: "x" } as K8sOptions), /did you mean "image"/);
  assert.throws(() => k8sJobManifest({ ...base, image: "" }), /image is required/);
  assert.throws(
    () => k8sJobManifest({ ...base, fitArgs: ["--out", "results"] }),
    /not on the results volume/,
  );
  assert.throws(
    () => k8sJobManifest({ ...base, fitArgs: ["--out", "/resultsX"] }),
    /not on the results volume/,
  );
  assert.throws(() => k8sJobManifest({ ...base, name: "CV_gru" }), /name must be lower-case/);
  assert.throws(() => k8sJobManifest({ ...base, name: "x".repeat(51) }), /at most 50/);
  assert.throws(() => k8sJobManifest({ ...base, memory: "4 GB" }), /memory must be a Kubernetes quantity/);
  assert.throws(
    () => k8sJobManifest({ ...base, fitArgs: ["--out", "/results/x", "--shard", "1/2"] }),
    /--shard/,
  );
});
