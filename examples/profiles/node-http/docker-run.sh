docker run --read-only --security-opt no-new-privileges --tmpfs /tmp:rw,noexec,nosuid,nodev,size=64m,mode=1777 --memory 128m --cpus 2 --pids-limit 64 ro-profile-fixture/node-app:latest
