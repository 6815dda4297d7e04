# hardening: restricted: every capability dropped, a numeric non-root UID, no-new-privileges, seccomp RuntimeDefault, as Pod Security "restricted" asks
# user: 999:999, numeric, so an admission check can see it is not root
# seccomp: the engine's default profile (RuntimeDefault); never add seccomp=unconfined
docker run --read-only --security-opt no-new-privileges -v sqlite-app-var-lib-app-38219d:/var/lib/app --cap-drop ALL --memory 64m --cpus 1.75 --pids-limit 64 --user 999:999 ro-profile-fixture/sqlite-app:latest
