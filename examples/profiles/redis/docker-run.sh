docker run --read-only --security-opt no-new-privileges -v redis-var-lib-redis-09be9d:/var/lib/redis ro-profile-fixture/redis:latest
