/**
 * The PyTorch side of the benchmarks: Debian's python3 and its `python3-torch`, installed with apt-get the
 * first time a benchmark needs it.
 *
 * @module
 */

/** The Python the baselines run under. */
export const PYTHON = "/usr/bin/python3";

/** Whether torch imports (undefined) or why it cannot; installs Debian's python3-torch once when it does not. */
export async function ensureTorch(): Promise<string | undefined> {
  const imports = async () =>
    await new Deno.Command(PYTHON, { args: ["-c", "import torch"], stdout: "null", stderr: "null" }).output()
      .then((o) => o.success, () => false);
  if (await imports()) return undefined;
  console.log("torch is missing: apt-get update && apt-get install -y python3-torch ...");
  for (const step of [["update"], ["install", "-y", "python3-torch"]]) {
    const ok = await new Deno.Command("apt-get", {
      args: step,
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdout: "null",
      stderr: "null",
    }).output().then((o) => o.success, () => false);
    if (!ok) return `apt-get ${step.join(" ")} failed (no python3-torch package or no permission)`;
  }
  return (await imports()) ? undefined : "python3-torch installed but torch still does not import";
}
