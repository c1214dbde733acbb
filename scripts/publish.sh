#!/usr/bin/env bash
# Harvest, report what changed, and publish the catalogue only when it changed.
#
# Used by the composite action (action.yml) and by .github/workflows/harvest.yml; runs the same
# way on a laptop (PUBLISH_MODE=commit keeps the commit local). Settings, from the environment:
#   HARVEST_LIST     list to harvest (default: harvest.toml's [list], else the built-in default)
#   HARVEST_OUTPUT   catalogue path (default output/catalog.json)
#   REFRESH          "true" to revalidate every value now (harvest --refresh)
#   PUBLISH_MODE     pull-request (default): commit on top of the checked-out branch, force-update
#                      the branch PUBLISH_BRANCH and open or update one pull request (gh CLI,
#                      authenticated by GH_TOKEN) whose body is the change report;
#                    push: commit and push to the checked-out branch (or PUBLISH_TARGET); a push
#                      that races another one is rebased and retried;
#                    commit: commit only, push nothing.
#                    (PUBLISH_PUSH=false, the older switch, means commit.)
#   PUBLISH_BRANCH   the pull request's branch (default harvest/catalog)
#   PUBLISH_TARGET   the branch to push to or to open the pull request against (default: the
#                      checked-out branch; on a detached HEAD GITHUB_REF_NAME, else the remote's
#                      default branch)
#   PUBLISH_REMOTE   default origin
#   SUGGEST_LIST     "true" (default): in pull-request mode, when the change report finds the
#                      list's own text out of date, add `harvest suggest`'s edit of the list as a
#                      separate commit the maintainer can drop
# Commits are made as github-actions[bot]. Nothing changed: no commit, no push, no PR update.
# Exit: 0 published or nothing to publish; 1 nothing was published (the harvest wrote nothing,
# or the commit could not be pushed). A harvest that exits 2 (some look-ups failed, previous
# values kept as stale) still publishes, with a warning annotation naming the stale values.
set -uo pipefail

output=${HARVEST_OUTPUT:-output/catalog.json}
folder=$(dirname "$output")
mode=${PUBLISH_MODE:-pull-request}
[ "${PUBLISH_PUSH:-true}" = "false" ] && mode=commit
branch=${PUBLISH_BRANCH:-harvest/catalog}
remote=${PUBLISH_REMOTE:-origin}
case "$mode" in
  pull-request|push|commit) ;;
  *) echo "::error title=bad mode::mode must be pull-request or push, not '$mode'"; exit 1 ;;
esac

export GIT_AUTHOR_NAME="github-actions[bot]"
export GIT_AUTHOR_EMAIL="41898282+github-actions[bot]@users.noreply.github.com"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"

mkdir -p "$folder"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
previous=$work/previous.json
report=$work/report.md
git show "HEAD:$output" >"$previous" 2>/dev/null || : >"$previous"

# The branch the result goes to (push) or the pull request is opened against.
target=${PUBLISH_TARGET:-$(git symbolic-ref --short -q HEAD || true)}
if [ -z "$target" ] && [ "${GITHUB_REF_TYPE:-}" = "branch" ]; then
  target=${GITHUB_REF_NAME:-}
fi
if [ -z "$target" ] && [ "$mode" != "commit" ]; then
  target=$(git symbolic-ref --short -q "refs/remotes/$remote/HEAD" 2>/dev/null || true)
  target=${target#"$remote/"}
fi
if [ -z "$target" ] && [ "$mode" != "commit" ]; then
  echo "::error title=no branch::detached HEAD and no branch to publish to; set PUBLISH_TARGET"
  exit 1
fi

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
[ -f "$folder/history.jsonl" ] && published+=("$folder/history.jsonl")
git add -- "${published[@]}" || exit 1  # an ignored output folder must not look unchanged
if git diff --cached --quiet -- "${published[@]}"; then
  echo "catalogue unchanged: nothing to publish"
  exit 0
fi
subject="catalogue: $(harvest diff --format headline "$previous" "$output")"
base=$(git rev-parse HEAD)
[ "$mode" = "pull-request" ] && git checkout -q --detach
git commit -q -F - -- "${published[@]}" <<MSG || exit 1
$subject

$(cat "$report")
MSG
echo "committed: $subject"

if [ "$mode" = "commit" ]; then
  exit 0
fi

if [ "$mode" = "push" ]; then
  # Only the bot writes the catalogue files: a rebase conflict there is resolved with the new
  # catalogue (-X theirs: the commit being replayed).
  for attempt in 1 2 3 4 5; do
    if git push -q "$remote" "HEAD:refs/heads/$target"; then
      echo "pushed to $target"
      exit 0
    fi
    echo "push to $target rejected (attempt $attempt): fetching and rebasing"
    sleep "$attempt"
    if ! git fetch -q "$remote" "$target"; then
      continue
    fi
    if ! git rebase -q -X theirs FETCH_HEAD; then
      git rebase --abort 2>/dev/null
      echo "::error title=rebase failed::the catalogue commit does not rebase onto $target"
      exit 1
    fi
  done
  echo "::error title=push failed::$target kept moving; the catalogue commit was not pushed"
  exit 1
fi

# pull-request mode: the list's own text, brought up to date, as a separate commit
list_file=${HARVEST_LIST:-}
if [ "${SUGGEST_LIST:-true}" = "true" ] && [ -n "$list_file" ] && [ -f "$list_file" ] \
    && git ls-files --error-unmatch -- "$list_file" >/dev/null 2>&1; then
  suggestions=$work/suggestions.md
  if harvest suggest --catalog "$output" --write "$list_file" >"$suggestions" \
      && ! git diff --quiet -- "$list_file"; then
    git commit -q -F - -- "$list_file" <<MSG
list: bring venues and repository names up to date

Suggested by the harvest; drop this commit to keep the list as it is.

$(cat "$suggestions")
MSG
    echo "committed the list's suggested edits"
  else
    git checkout -q -- "$list_file" 2>/dev/null
  fi
fi

# Nothing new since the pull request branch was last written (same base, same files): touch
# nothing.
since=""
if git fetch -q "$remote" "refs/heads/$branch" 2>/dev/null; then
  if git merge-base --is-ancestor "$base" FETCH_HEAD \
      && [ "$(git rev-list --count "$base..FETCH_HEAD")" = "$(git rev-list --count "$base..HEAD")" ] \
      && git diff --quiet FETCH_HEAD HEAD; then
    echo "$branch already holds this catalogue: nothing to publish"
    exit 0
  fi
  git show "FETCH_HEAD:$output" >"$work/branch.json" 2>/dev/null || : >"$work/branch.json"
  since=$(harvest diff --format headline "$work/branch.json" "$output" 2>/dev/null || true)
fi

if ! git push -q --force "$remote" "HEAD:refs/heads/$branch"; then
  echo "::error title=push failed::could not update $branch"
  exit 1
fi
echo "pushed to $branch"

body=$work/body.md
{
  echo "The scheduled harvest found changes. Merge to publish the new catalogue."
  if [ -n "$since" ]; then
    echo
    echo "Since this pull request was last updated: $since."
  fi
  if [ "$(git rev-list --count "$base..HEAD")" -gt 1 ]; then
    echo
    echo "The last commit edits the list's own text where the sources say it is out of date;"
    echo "drop it (or edit it) if the list should stay as it is."
  fi
  echo
  cat "$report"
} >"$body"
number=$(gh pr list --head "$branch" --base "$target" --state open --json number \
  --jq '.[0].number // empty') || {
  echo "::error title=gh failed::could not list pull requests"
  exit 1
}
hint="the token needs pull-requests: write, and the repository must allow GitHub Actions to create pull requests (Settings, Actions, General)"
if [ -n "$number" ]; then
  gh pr edit "$number" --title "$subject" --body-file "$body" >/dev/null || {
    echo "::error title=pull request not updated::$branch was pushed, but pull request #$number could not be updated: $hint"
    exit 1
  }
  echo "updated pull request #$number"
else
  gh pr create --base "$target" --head "$branch" --title "$subject" --body-file "$body" || {
    echo "::error title=pull request not opened::$branch was pushed, but no pull request could be opened: $hint"
    exit 1
  }
  echo "opened a pull request from $branch into $target"
fi
