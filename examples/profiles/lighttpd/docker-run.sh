# hardening: restricted: every capability dropped, a numeric non-root UID, no-new-privileges, seccomp RuntimeDefault, as Pod Security "restricted" asks
# user: 33:33, numeric, so an admission check can see it is not root
# seccomp: the engine's default profile (RuntimeDefault); never add seccomp=unconfined
# logs: the app writes /var/log/lighttpd/error.log inside the container (its tmpfs (size=64m) caps them); link them to /dev/stdout or /dev/stderr in the image (RUN ln -sf /dev/stdout FILE) so the log driver gets them
docker run --read-only --security-opt no-new-privileges --tmpfs /run:rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=33,gid=33 --tmpfs /var/log/lighttpd:rw,noexec,nosuid,nodev,size=64m,mode=0750,uid=33,gid=33 --cap-drop ALL --memory 192m --cpus 1.75 --pids-limit 64 --user 33:33 ro-profile-fixture/lighttpd:latest
