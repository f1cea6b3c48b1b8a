#!/usr/bin/env bash
# Execute every tutorial notebook headless (nbconvert + Deno's Jupyter kernel) and check the result:
# no cell may fail, every code cell must have run, and every figure cell (tagged "figure") must have produced
# image/svg+xml or text/html output. The committed notebooks are not modified: executed copies go to a
# temporary folder (or to --keep DIR), optionally also as HTML (--html DIR) for a person to look at.
#
# Usage: scripts/run_notebooks.sh [--keep DIR] [--html DIR] [notebooks/NAME.ipynb ...]
#        (deno task notebooks [...])
#
# Set-up when missing (a fresh Debian/Ubuntu machine): Debian's jupyter-nbconvert, python3-nbclient and
# python3-ipykernel through apt-get (as root), and the Deno kernel spec (deno jupyter --install). Debian's
# /usr/bin/jupyter and /usr/bin/python3 are used explicitly, since the python3 on PATH may be another one.
#
# Exit status: 0 when every notebook passed, 1 when one failed, 2 when the tools could not be set up.

set -u
cd "$(dirname "$0")/.." || exit 2

JUPYTER=/usr/bin/jupyter
PYTHON=/usr/bin/python3
CELL_TIMEOUT_S=${TINYRNN_NOTEBOOK_CELL_TIMEOUT:-1200}

keep=""
html=""
notebooks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep="$2"; shift 2 ;;
    --html) html="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run_notebooks: unknown flag $1 (flags: --keep DIR, --html DIR)" >&2; exit 2 ;;
    *) notebooks+=("$1"); shift ;;
  esac
done
if [ ${#notebooks[@]} -eq 0 ]; then
  for path in notebooks/*.ipynb; do notebooks+=("$path"); done
fi

have_tools() {
  [ -x "$JUPYTER" ] && [ -x /usr/bin/jupyter-nbconvert ] &&
    "$PYTHON" -c "import nbclient, nbformat, ipykernel" >/dev/null 2>&1
}

if ! have_tools; then
  echo "run_notebooks: installing Debian's jupyter-nbconvert, python3-nbclient, python3-ipykernel"
  sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
  $sudo apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      -o DPkg::Lock::Timeout=600 jupyter-nbconvert python3-nbclient python3-ipykernel >/dev/null
  if ! have_tools; then
    echo "run_notebooks: could not install the Jupyter tools (needs apt-get and root)" >&2
    exit 2
  fi
fi

# The kernel spec must exist and point at a deno that runs (a spec left by another install may not).
data_dir="$("$JUPYTER" --data-dir 2>/dev/null || echo "$HOME/.local/share/jupyter")"
spec="$data_dir/kernels/deno/kernel.json"
spec_deno=""
[ -f "$spec" ] && spec_deno="$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["argv"][0])' "$spec" 2>/dev/null)"
if [ -z "$spec_deno" ] || ! [ -x "$spec_deno" ]; then
  echo "run_notebooks: installing the Deno kernel spec"
  if ! deno jupyter --install --force >/dev/null 2>&1; then
    echo "run_notebooks: deno jupyter --install failed" >&2
    exit 2
  fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
out="${keep:-$work/executed}"
mkdir -p "$out"
[ -n "$html" ] && mkdir -p "$html"

failed=0
for notebook in "${notebooks[@]}"; do
  name="$(basename "$notebook")"
  start=$(date +%s)
  # The kernel starts in the notebook's folder, so its relative imports (../mod.ts) resolve as in Jupyter.
  if ! "$JUPYTER" nbconvert --to notebook --execute \
    --ExecutePreprocessor.kernel_name=deno --ExecutePreprocessor.timeout="$CELL_TIMEOUT_S" \
    --output-dir "$out" --output "$name" "$notebook" >"$work/nbconvert.log" 2>&1; then
    echo "FAILED $name: execution error"
    grep -v 'is unstable and might change' "$work/nbconvert.log" | tail -n 40
    failed=$((failed + 1))
    continue
  fi
  if ! "$PYTHON" - "$out/$name" <<'CHECK'; then
import json, sys

path = sys.argv[1]
with open(path) as f:
    notebook = json.load(f)
problems = []
figures = 0
for index, cell in enumerate(notebook["cells"]):
    if cell["cell_type"] != "code":
        continue
    where = f"cell {index} ({''.join(cell['source'])[:60]!r})"
    outputs = cell.get("outputs", [])
    if cell.get("execution_count") is None:
        problems.append(f"{where}: not executed")
    for output in outputs:
        if output.get("output_type") == "error":
            problems.append(f"{where}: {output.get('ename')}: {output.get('evalue')}")
    if "figure" in cell.get("metadata", {}).get("tags", []):
        figures += 1
        kinds = {key for output in outputs for key in output.get("data", {})}
        if not kinds & {"image/svg+xml", "text/html"}:
            problems.append(f"{where}: figure cell without image/svg+xml or text/html output (got {sorted(kinds)})")
if figures == 0:
    problems.append("no cell is tagged 'figure'")
for problem in problems:
    print(f"  {problem}")
sys.exit(1 if problems else 0)
CHECK
    echo "FAILED $name: see above"
    failed=$((failed + 1))
    continue
  fi
  if [ -n "$html" ]; then
    # nbconvert's HTML export passes inline SVG outputs through an HTML sanitiser that drops every SVG element
    # but <svg>; a copy that offers the same SVG as text/html (which it inserts as it is) shows the figures.
    "$PYTHON" - "$out/$name" "$work/$name" <<'SVG_AS_HTML'
import json, sys

with open(sys.argv[1]) as f:
    notebook = json.load(f)
for cell in notebook["cells"]:
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/svg+xml" in data and "text/html" not in data:
            data["text/html"] = data["image/svg+xml"]
with open(sys.argv[2], "w") as f:
    json.dump(notebook, f)
SVG_AS_HTML
    "$JUPYTER" nbconvert --to html --output-dir "$html" --output "${name%.ipynb}" "$work/$name" >/dev/null 2>&1 ||
      echo "warning: $name executed but could not be converted to HTML"
  fi
  echo "ok $name ($(($(date +%s) - start)) s)"
done

total=${#notebooks[@]}
if [ "$failed" -eq 0 ]; then echo "notebooks: all $total ok"; else echo "notebooks: $failed of $total failed"; fi
[ "$failed" -eq 0 ]
