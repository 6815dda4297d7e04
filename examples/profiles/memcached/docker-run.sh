docker run --read-only --security-opt no-new-privileges --memory 64m --cpus 1.75 --pids-limit 64 ro-profile-fixture/memcached:latest
