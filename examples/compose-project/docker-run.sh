# hardening: restricted: every capability dropped, a numeric non-root UID, no-new-privileges, seccomp RuntimeDefault, as Pod Security "restricted" asks
# user: 10001:999, numeric, so an admission check can see it is not root
# seccomp: the engine's default profile (RuntimeDefault); never add seccomp=unconfined
docker run --read-only --security-opt no-new-privileges --tmpfs /app/__pycache__:rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=10001,gid=999 --tmpfs /tmp:rw,noexec,nosuid,nodev,size=64m,mode=1777 --cap-drop ALL --memory 240m --cpus 2 --pids-limit 64 -e APP_SECRET -e REDIS_URL --user 10001:999 -v uploads:/app/uploads:rw -p 8000 ro-profile-fixture/python-wsgi:latest
