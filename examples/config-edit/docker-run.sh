docker run --read-only --security-opt no-new-privileges -v config-edit-etc-app-582062:/etc/app --memory 64m --cpus 1.25 --pids-limit 64 ro-profile-fixture/config-edit:latest
