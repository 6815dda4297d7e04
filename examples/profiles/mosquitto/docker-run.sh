docker run --read-only --security-opt no-new-privileges -v mosquitto-var-lib-mosquitto-2726dc:/var/lib/mosquitto ro-profile-fixture/mosquitto:latest
