docker run --read-only --security-opt no-new-privileges -v redis-var-lib-redis-09be9d:/var/lib/redis --memory 64m --cpus 2 --pids-limit 64 ro-profile-fixture/redis:latest
