# hardening: restricted: every capability dropped, a numeric non-root UID, no-new-privileges, seccomp RuntimeDefault, as Pod Security "restricted" asks
# user: 100:101, numeric, so an admission check can see it is not root
# seccomp: the engine's default profile (RuntimeDefault); never add seccomp=unconfined
docker run --read-only --security-opt no-new-privileges --cap-drop ALL --memory 64m --cpus 1.75 --pids-limit 64 --user 100:101 --mount type=volume,destination=/var/lib/redis ro-profile-fixture/redis:latest
