# Sourced by make-results.sh and make-examples.sh: the fixture images (test/fixtures/images)
# and the flags each one's exercise needs while it is profiled. The same list, with the checks
# that prove a hardened container works, is test/helpers/fixture-exercises.ts.
FIXTURES=(busybox-app busybox-health busybox-volume trace-app no-shell nginx redis postgres apache2 config-edit nonroot-dirs sqlite-app open-log edit-optional silent-default shutdown-writer stale-lock job-writer clock-page temp-churn tempdir-search write-check seeded-data metrics-store)

# Sets ARGS to the profiling flags of fixture $1.
fixture_args() {
  # The generic exercise: built-in profiles that match a fixture by name are examples of their own.
  ARGS=(--no-profile)
  case "$1" in
    redis) ARGS+=(--exec 'redis-cli SET k v' --exec 'redis-cli SAVE') ;;
    postgres) ARGS+=(--exec "psql -U postgres -c 'create table t(x int); insert into t values (1)'") ;;
    # Writes only a live trace sees (transient, executed, opened-unchanged); the tracer image is
    # built from the fixture base, which needs no registry.
    trace-app) ARGS+=(--tracer strace --tracer-base ro-profile-fixture/base:latest --exec ': >> /var/lib/trace-app/state') ;;
    no-shell | temp-churn | write-check) ARGS+=(--tracer strace --tracer-base ro-profile-fixture/base:latest) ;;
    busybox-app | busybox-health | busybox-volume | nginx | apache2 | config-edit | nonroot-dirs | sqlite-app | seeded-data | metrics-store) ;;
    # What verification catches and repairs (test/fixtures/images/VERIFY-FIXTURES.md).
    open-log | edit-optional | silent-default | shutdown-writer | stale-lock | job-writer | clock-page | tempdir-search) ;;
    *) echo "unknown fixture: $1 (one of: ${FIXTURES[*]})" >&2; return 2 ;;
  esac
}

# Everything ro-profile creates carries this session label; the CLI removes it on every exit
# path, and the EXIT trap below removes (and names) anything a crash left all the same.
export RO_PROFILE_SESSION="${RO_PROFILE_SESSION:-scripts-$$-$(date +%s)}"

remove_session_leftovers() {
  local filter="label=io.ro-profile.session=$RO_PROFILE_SESSION" ids
  ids="$(docker ps -aq --filter "$filter")"
  if [ -n "$ids" ]; then echo "removing containers left by $RO_PROFILE_SESSION: $ids" >&2; docker rm -fv $ids >/dev/null; fi
  ids="$(docker volume ls -q --filter "$filter")"
  if [ -n "$ids" ]; then echo "removing volumes left by $RO_PROFILE_SESSION: $ids" >&2; docker volume rm -f $ids >/dev/null; fi
}

# Builds the CLI and the fixture images (both no-ops when up to date).
prepare() {
  npm run --silent build
  bash test/fixtures/images/build.sh
}
