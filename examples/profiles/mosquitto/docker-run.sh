docker run --read-only --security-opt no-new-privileges -v mosquitto-var-lib-mosquitto-2726dc:/var/lib/mosquitto --memory 64m --cpus 1.75 --pids-limit 64 ro-profile-fixture/mosquitto:latest
