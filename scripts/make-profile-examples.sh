#!/usr/bin/env bash
# Regenerates examples/profiles/<profile>/ for every built-in exercise profile (or the ones
# named): the real outputs of `ro-profile IMAGE --format all` on the image the profile is tested
# on (test/fixtures/profile-images.json), picked by the image's name, and a README.md of what
# the image needs and why. test/unit/profiles/examples.test.ts checks in CI that they match the
# profiles and the emitters as committed. Needs a Docker engine; leaves nothing on it.
#
#   scripts/make-profile-examples.sh [PROFILE...]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/fixtures.sh

staging="$(mktemp -d "${TMPDIR:-/tmp}/ro-profile-profile-examples.XXXXXX")"
trap 'rm -rf "$staging"; remove_session_leftovers' EXIT

image_of() { node -e 'const m = require("./test/fixtures/profile-images.json"); const i = m[process.argv[1]]; if (!i) { console.error(`no test image for profile ${process.argv[1]}`); process.exit(2); } console.log(i)' "$1"; }
names=("$@")
[ ${#names[@]} -gt 0 ] || mapfile -t names < <(node -e 'console.log(Object.keys(require("./test/fixtures/profile-images.json")).join("\n"))')
for n in "${names[@]}"; do image_of "$n" >/dev/null; done
# Strings that must never reach examples/: values that describe this machine, not the image.
host_strings=("$(hostname)" "$PWD")
# (/root is also a path inside images: not a tell of this host.)
[ -n "${HOME:-}" ] && [ "$HOME" != / ] && [ "$HOME" != /root ] && host_strings+=("$HOME")
prepare
for n in "${names[@]}"; do
  image="$(image_of "$n")"
  node dist/cli/main.js "$image" --format all --out "$staging/$n" --quiet \
    || { rc=$?; echo "make-profile-examples: profiling $image failed (exit $rc)" >&2; exit "$rc"; }
  got="$(node -e 'console.log(require(process.argv[1]).profile?.name ?? "none")' "$staging/$n/result.json")"
  [ "$got" = "$n" ] || { echo "make-profile-examples: $image was profiled with \"$got\", not \"$n\"" >&2; exit 1; }
  node scripts/profile-example-readme.mjs "$staging/$n"
  for s in "${host_strings[@]}"; do
    if grep -rlwF -- "$s" "$staging/$n" >&2; then echo "make-profile-examples: the $n output above holds host-specific \"$s\"" >&2; exit 1; fi
  done
done
mkdir -p examples/profiles
for n in "${names[@]}"; do
  rm -rf "examples/profiles/$n"
  mv "$staging/$n" "examples/profiles/$n"
  echo "make-profile-examples: examples/profiles/$n" >&2
done
