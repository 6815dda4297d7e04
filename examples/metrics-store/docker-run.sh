docker run --read-only --security-opt no-new-privileges -v metrics-store-srv-metrics-04ce9f:/srv/metrics --memory 64m --cpus 1.75 --pids-limit 64 ro-profile-fixture/metrics-store:latest
