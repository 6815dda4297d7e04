# hardening: restricted: every capability dropped, a numeric non-root UID, no-new-privileges, seccomp RuntimeDefault, as Pod Security "restricted" asks
# user: 100:101, numeric, so an admission check can see it is not root
# seccomp: the engine's default profile (RuntimeDefault); never add seccomp=unconfined
docker run --read-only --security-opt no-new-privileges -v redis-var-lib-redis-09be9d:/var/lib/redis --cap-drop ALL --memory 64m --cpus 2 --pids-limit 64 --user 100:101 ro-profile-fixture/redis:latest
