#!/usr/bin/env bash
# Profiles fixture images with --format json into test/fixtures/results/<fixture>.json: the
# stable inputs of the golden tests (test/unit/emit/goldens.test.ts compares what emit prints
# from each with test/fixtures/expected/<fixture>/). Needs a Docker engine.
#
#   scripts/make-results.sh [FIXTURE...]        default: every fixture but nginx
#
# nginx.json is left alone unless named: it is the unit tests' hand-edited input (-e TZ and
# -p 8080:80 passed through, a made-up image id), which other unit tests assert on. After a
# change, regenerate the goldens and read the diff:
#   npx vitest run --project unit test/unit/emit/goldens.test.ts -u && git diff test/fixtures
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/fixtures.sh
trap remove_session_leftovers EXIT

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in "${FIXTURES[@]}"; do [ "$f" = nginx ] || names+=("$f"); done
fi

for f in "${names[@]}"; do fixture_args "$f"; done   # unknown names fail before any work
prepare
mkdir -p test/fixtures/results
for f in "${names[@]}"; do
  fixture_args "$f"
  out="test/fixtures/results/$f.json"
  # Into a temp file first: a failed run leaves the checked-in result as it was.
  node dist/cli/main.js "ro-profile-fixture/$f:latest" "${ARGS[@]}" --format json --quiet >"$out.tmp" \
    || { rc=$?; rm -f "$out.tmp"; echo "make-results: profiling $f failed (exit $rc)" >&2; exit "$rc"; }
  mv "$out.tmp" "$out"
  echo "make-results: $out" >&2
done
