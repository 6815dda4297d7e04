# hardening: restricted: every capability dropped, a numeric non-root UID, no-new-privileges, seccomp RuntimeDefault, as Pod Security "restricted" asks
# user: 10002:999, numeric, so an admission check can see it is not root
# seccomp: the engine's default profile (RuntimeDefault); never add seccomp=unconfined
docker run --read-only --security-opt no-new-privileges --tmpfs /tmp:rw,noexec,nosuid,nodev,size=64m,mode=1777 --cap-drop ALL --memory 128m --cpus 1.75 --pids-limit 64 --user 10002:999 ro-profile-fixture/node-app:latest
