# hardening: restricted: every capability dropped, a numeric non-root UID, no-new-privileges, seccomp RuntimeDefault, as Pod Security "restricted" asks
# user: 65532:65532, numeric, so an admission check can see it is not root
# seccomp: the engine's default profile (RuntimeDefault); never add seccomp=unconfined
docker run --read-only --security-opt no-new-privileges --tmpfs /config:rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=65532,gid=65532 --tmpfs /root/.step:rw,noexec,nosuid,nodev,size=64m,mode=0700,uid=65532,gid=65532 --cap-drop ALL --memory 192m --cpus 1.75 --pids-limit 64 --user 65532:65532 ro-profile-fixture/caddy:latest
