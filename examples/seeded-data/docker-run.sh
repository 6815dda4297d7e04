docker run --read-only --security-opt no-new-privileges -v seeded-data-var-lib-app-38219d:/var/lib/app --memory 64m --cpus 1.75 --pids-limit 64 ro-profile-fixture/seeded-data:latest
