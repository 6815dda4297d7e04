docker run --read-only --security-opt no-new-privileges -v sqlite-app-var-lib-app-38219d:/var/lib/app --memory 64m --cpus 2 --pids-limit 64 ro-profile-fixture/sqlite-app:latest
