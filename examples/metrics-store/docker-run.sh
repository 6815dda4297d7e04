docker run --read-only --security-opt no-new-privileges -v metrics-store-srv-metrics-04ce9f:/srv/metrics ro-profile-fixture/metrics-store:latest
