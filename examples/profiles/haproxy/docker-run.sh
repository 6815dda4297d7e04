# hardening: restricted: every capability dropped, a numeric non-root UID, no-new-privileges, seccomp RuntimeDefault, as Pod Security "restricted" asks
# user: 100:101, numeric, so an admission check can see it is not root
# seccomp: the engine's default profile (RuntimeDefault); never add seccomp=unconfined
docker run --read-only --security-opt no-new-privileges --tmpfs /run/haproxy:rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=100,gid=101 --cap-drop ALL --memory 128m --cpus 1.5 --pids-limit 64 --user 100:101 ro-profile-fixture/haproxy:latest
