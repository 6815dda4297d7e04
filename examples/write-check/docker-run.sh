docker run --read-only --security-opt no-new-privileges --tmpfs /srv/uploads:rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=1000,gid=1000 ro-profile-fixture/write-check:latest
