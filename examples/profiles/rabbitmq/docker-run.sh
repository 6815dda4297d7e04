# hardening: restricted: every capability dropped, a numeric non-root UID, no-new-privileges, seccomp RuntimeDefault, as Pod Security "restricted" asks
# user: 101:103, numeric, so an admission check can see it is not root
# seccomp: the engine's default profile (RuntimeDefault); never add seccomp=unconfined
# logs: the app writes /var/log/rabbitmq/rabbit@ro-profile-08e53c3e54ec_upgrade.log inside the container (its tmpfs (size=64m) caps them); link them to /dev/stdout or /dev/stderr in the image (RUN ln -sf /dev/stdout FILE) so the log driver gets them
docker run --read-only --security-opt no-new-privileges -v rabbitmq-var-lib-rabbitmq-8b7f1d:/var/lib/rabbitmq --tmpfs /var/log/rabbitmq:rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=101,gid=103 --cap-drop ALL --memory 384m --cpus 2 --pids-limit 112 --user 101:103 ro-profile-fixture/rabbitmq:latest
