# logs: the app writes /var/log/messages inside the container (its tmpfs (size=64m) caps them); link them to /dev/stdout or /dev/stderr in the image (RUN ln -sf /dev/stdout FILE) so the log driver gets them
docker run --read-only --security-opt no-new-privileges --tmpfs /var/log:rw,noexec,nosuid,nodev,size=64m,mode=0755 --memory 128m --cpus 0.5 --pids-limit 64 ro-profile-fixture/no-shell:latest
