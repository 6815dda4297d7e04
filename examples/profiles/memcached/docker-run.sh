docker run --read-only --security-opt no-new-privileges ro-profile-fixture/memcached:latest
