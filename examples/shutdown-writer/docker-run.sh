# hardening: restricted: every capability dropped, a numeric non-root UID, no-new-privileges, seccomp RuntimeDefault, as Pod Security "restricted" asks
# user: 1000:1000, numeric, so an admission check can see it is not root
# seccomp: the engine's default profile (RuntimeDefault); never add seccomp=unconfined
docker run --read-only --security-opt no-new-privileges --tmpfs /run/app:rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=1000,gid=1000 --tmpfs /var/lib/shutdown-writer:rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=1000,gid=1000 --cap-drop ALL --memory 192m --cpus 1.25 --pids-limit 64 --user 1000:1000 ro-profile-fixture/shutdown-writer:latest
