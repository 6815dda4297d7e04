docker run --read-only --security-opt no-new-privileges -v sqlite-app-var-lib-app-38219d:/var/lib/app ro-profile-fixture/sqlite-app:latest
