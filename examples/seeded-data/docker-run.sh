docker run --read-only --security-opt no-new-privileges -v seeded-data-var-lib-app-38219d:/var/lib/app ro-profile-fixture/seeded-data:latest
