# hardening: drop-caps: every capability dropped but those the run showed it needs, the image's own user, no-new-privileges, seccomp RuntimeDefault
# not restricted: running as the non-root UID 65532:65532 (the image starts as root) broke it (it never became ready); give the directories it writes to that UID in the image (RUN chown), and run it with USER
# seccomp: the engine's default profile (RuntimeDefault); never add seccomp=unconfined
# logs: the app writes /var/log/messages inside the container (its tmpfs (size=64m) caps them); link them to /dev/stdout or /dev/stderr in the image (RUN ln -sf /dev/stdout FILE) so the log driver gets them
docker run --read-only --security-opt no-new-privileges --tmpfs /var/log:rw,noexec,nosuid,nodev,size=64m,mode=0755 --cap-drop ALL --memory 128m --cpus 0.5 --pids-limit 64 ro-profile-fixture/no-shell:latest
