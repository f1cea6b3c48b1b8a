#!/usr/bin/env bash
# Renders the figures the README shows (docs/*.png) from the tutorial: the README's main command trains the
# tutorial cross-validation, `deno task portrait --png` draws every figure of the run, and the ones the README
# shows are copied to docs/. Usage: bash scripts/render_docs.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
deno task fit --out "$work/results" --quiet
deno task portrait --results "$work/results" --out "$work/figures" --png
cp "$work/figures/gru-1/portrait_outer0.png" docs/portrait_d1.png
cp "$work/figures/gru-2/portrait_outer0.png" docs/portrait_d2.png
cp "$work/figures/gru-2/vector_field_outer0.png" docs/vector_field_d2.png
cp "$work/figures/gru-2/training_outer0.png" docs/training_curves.png
cp "$work/figures/loss_vs_d.png" docs/loss_vs_d.png
# A session raster: block 0 of the tutorial data with the d = 2 network of outer fold 0.
deno run --allow-read --allow-write --allow-env --allow-sys --allow-ffi - "$work/results" <<'TS'
import { loadResults } from "./src/report/results.ts";
import { selectedModels } from "./src/report/selected_models.ts";
import { sessionRaster } from "./src/plot/session_raster.ts";
const run = await loadResults(Deno.args[0]);
const kept = selectedModels(run, "gru-2")[0];
const block = run.data!.blocks[0];
await sessionRaster(block, kept.fitted, { title: "Block 0 with the GRU d = 2's P(A1)" }).save("docs/session_raster.png");
TS
echo "docs/ figures written from $work"
