docker run --read-only --security-opt no-new-privileges --tmpfs /var/log:rw,noexec,nosuid,nodev,size=64m,mode=0755 ro-profile-fixture/no-shell:latest
