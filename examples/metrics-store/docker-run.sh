# hardening: restricted: every capability dropped, a numeric non-root UID, no-new-privileges, seccomp RuntimeDefault, as Pod Security "restricted" asks
# user: 1000:1000, numeric, so an admission check can see it is not root
# seccomp: the engine's default profile (RuntimeDefault); never add seccomp=unconfined
docker run --read-only --security-opt no-new-privileges -v metrics-store-srv-metrics-04ce9f:/srv/metrics --cap-drop ALL --memory 64m --cpus 1.75 --pids-limit 64 --user 1000:1000 ro-profile-fixture/metrics-store:latest
