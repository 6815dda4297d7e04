#!/usr/bin/env bash
# Regenerates examples/<fixture>/ (docker-run.sh, compose.yaml, k8s.yaml, report.md,
# result.json): the real output of `ro-profile IMAGE --format all --out examples/<fixture>` for
# every fixture image, exercised as the tests exercise it. Needs a Docker engine; builds the CLI and the
# fixture images first. Leaves nothing on the engine, and refuses to keep an output that
# carries host-specific data (this host's name, home, working directory or apt mirror).
#
#   scripts/make-examples.sh [FIXTURE...]       default: every fixture
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/fixtures.sh

staging="$(mktemp -d "${TMPDIR:-/tmp}/ro-profile-examples.XXXXXX")"
trap 'rm -rf "$staging"; remove_session_leftovers' EXIT

names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${FIXTURES[@]}")

# Strings that must never reach examples/: values that describe this machine, not the image.
host_strings=("$(hostname)" "$PWD")
[ -n "${HOME:-}" ] && [ "$HOME" != / ] && host_strings+=("$HOME")
mirror="$(grep -rhoE '^(URIs:\s*|deb\s+)\S+' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null | awk '{print $2}' | sed -E 's#^[a-z]+://([^/]+).*#\1#' | sort -u || true)"
for m in $mirror; do host_strings+=("$m"); done

for f in "${names[@]}"; do fixture_args "$f"; done   # unknown names fail before any work
prepare
for f in "${names[@]}"; do
  fixture_args "$f"
  node dist/cli/main.js "ro-profile-fixture/$f:latest" "${ARGS[@]}" --format all --out "$staging/$f" --quiet \
    || { rc=$?; echo "make-examples: profiling $f failed (exit $rc)" >&2; exit "$rc"; }
  for s in "${host_strings[@]}"; do
    if grep -rlwF -- "$s" "$staging/$f" >&2; then echo "make-examples: the $f output above holds host-specific \"$s\"" >&2; exit 1; fi
  done
done
# Only when every fixture went through: replace the checked-in outputs.
for f in "${names[@]}"; do
  rm -rf "examples/$f"
  mv "$staging/$f" "examples/$f"
  echo "make-examples: examples/$f" >&2
done
