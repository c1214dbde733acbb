#!/usr/bin/env bash
# Harvest, report what changed, and commit the catalogue only when it changed.
#
# Used by .github/workflows/harvest.yml and by the composite action (action.yml); runs the same
# way on a laptop (set PUBLISH_PUSH=false to keep the commit local). Settings, from the
# environment:
#   HARVEST_LIST    list to harvest (default: harvest.toml's [list], else the neurofm list)
#   HARVEST_OUTPUT  catalogue path (default output/catalog.json)
#   REFRESH         "true" to revalidate every value now (harvest --refresh)
#   PUBLISH_PUSH    "false" to commit without pushing (default true)
# Exit: 0 published or nothing to publish; 1 the harvest wrote nothing (nothing published).
# A harvest that exits 2 (some look-ups failed, previous values kept as stale) still publishes,
# with a warning annotation naming the stale values.
set -uo pipefail

output=${HARVEST_OUTPUT:-output/catalog.json}
folder=$(dirname "$output")
mkdir -p "$folder"
previous=$(mktemp)
report=$(mktemp)
trap 'rm -f "$previous" "$report"' EXIT
git show "HEAD:$output" >"$previous" 2>/dev/null || : >"$previous"

args=(--output "$output")
[ -n "${HARVEST_LIST:-}" ] && args+=(--list "$HARVEST_LIST")
[ "${REFRESH:-false}" = "true" ] && args+=(--refresh)

harvest "${args[@]}"
code=$?
if [ "$code" -ne 0 ] && [ "$code" -ne 2 ]; then
  echo "::error title=harvest failed::harvest exited $code; nothing was published"
  exit 1
fi

harvest diff "$previous" "$output" >"$report" || exit 1
if [ "$code" -eq 2 ]; then
  stale=$(python - "$output" <<'PY'
import json, sys
catalog = json.load(open(sys.argv[1], encoding="utf-8"))
items = [f"{e['key']}: {s['field']} ({s['reason'].split(':')[0]})"
         for e in catalog["entries"] for s in e["stale"]]
print(f"{len(items)} stale values kept from earlier runs: " + "; ".join(items[:30])
      + (" …" if len(items) > 30 else ""))
PY
)
  echo "::warning title=Some look-ups failed::${stale}"
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$report" >>"$GITHUB_STEP_SUMMARY"
fi

# run.json holds the run's time: it is never committed, or every run would make a commit
published=("$output" "$folder/catalog.schema.json")
git add -- "${published[@]}"
if git diff --cached --quiet -- "${published[@]}"; then
  echo "catalogue unchanged: nothing to commit"
  exit 0
fi
subject="catalogue: $(harvest diff --format headline "$previous" "$output")"
git -c user.name="${GIT_AUTHOR_NAME:-awesome-harvester}" \
    -c user.email="${GIT_AUTHOR_EMAIL:-awesome-harvester@users.noreply.github.com}" \
    commit -q -F - <<MSG
$subject

$(cat "$report")
MSG
echo "committed: $subject"
if [ "${PUBLISH_PUSH:-true}" = "true" ]; then
  git push -q
fi
