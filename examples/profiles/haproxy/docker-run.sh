docker run --read-only --security-opt no-new-privileges --tmpfs /run/haproxy:rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=100,gid=101 ro-profile-fixture/haproxy:latest
