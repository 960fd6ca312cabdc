#!/usr/bin/env bash
# The run step of action.yml: runs pushcheck with the action's inputs (INPUT_*), and hands the verdict, the
# gate and the exit code to the next steps. The reporter itself writes the job summary and the annotations.
# It always exits 0; the action's last step fails the job with the gate's exit code, after the upload.
set -uo pipefail
root="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
args=(run --profile "$INPUT_PROFILE" --target "$INPUT_TARGET" --fail-on "${INPUT_FAIL_ON:-must}"
  --report "${INPUT_REPORT:-pushcheck-report}")
if [ -n "${INPUT_EXPECTATIONS:-}" ]; then args+=(--expectations "$INPUT_EXPECTATIONS"); fi
# The config input is a line of options: split on spaces, as a shell would, without evaluating it.
read -r -a extra <<<"${INPUT_CONFIG:-}"
node "$root/bin/pushcheck.js" "${args[@]}" "${extra[@]}"
code=$?
report="${INPUT_REPORT:-pushcheck-report}/report.json"
if [ -f "$report" ]; then
  verdict=$(node -p "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')).verdict" "$report")
  gate=$(node -p "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')).gate.result" "$report")
else
  verdict=incomplete
  gate=incomplete
fi
{
  echo "verdict=$verdict"
  echo "gate=$gate"
  echo "exit-code=$code"
} >>"${GITHUB_OUTPUT:-/dev/null}"
exit 0
