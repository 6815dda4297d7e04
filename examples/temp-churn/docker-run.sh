docker run --read-only --security-opt no-new-privileges --tmpfs /tmp:rw,noexec,nosuid,nodev,size=64m,mode=1777 --memory 128m --cpus 0.5 --pids-limit 64 ro-profile-fixture/temp-churn:latest
