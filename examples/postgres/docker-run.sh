# hardening: restricted: every capability dropped, a numeric non-root UID, no-new-privileges, seccomp RuntimeDefault, as Pod Security "restricted" asks
# user: 100:102, numeric, so an admission check can see it is not root
# seccomp: the engine's default profile (RuntimeDefault); never add seccomp=unconfined
docker run --read-only --security-opt no-new-privileges --tmpfs /run/postgresql:rw,noexec,nosuid,nodev,size=64m,mode=2775,uid=100,gid=102 -v postgres-var-lib-postgresql-data-524ebd:/var/lib/postgresql/data --cap-drop ALL --memory 176m --cpus 1.5 --pids-limit 64 --user 100:102 ro-profile-fixture/postgres:latest
