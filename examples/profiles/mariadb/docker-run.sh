# hardening: restricted: every capability dropped, a numeric non-root UID, no-new-privileges, seccomp RuntimeDefault, as Pod Security "restricted" asks
# user: 100:101, numeric, so an admission check can see it is not root
# seccomp: the engine's default profile (RuntimeDefault); never add seccomp=unconfined
# logs: the app writes /var/lib/mysql/ddl_recovery.log inside the container (its volume has no size limit); link them to /dev/stdout or /dev/stderr in the image (RUN ln -sf /dev/stdout FILE) so the log driver gets them
docker run --read-only --security-opt no-new-privileges --tmpfs /run/mysqld:rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=100,gid=101 --tmpfs /tmp:rw,noexec,nosuid,nodev,size=64m,mode=1777 -v mariadb-var-lib-mysql-594a6c:/var/lib/mysql --cap-drop ALL --memory 368m --cpus 1.75 --pids-limit 64 -e MARIADB_ROOT_PASSWORD --user 100:101 ro-profile-fixture/mariadb:latest
