docker run --read-only --security-opt no-new-privileges -v config-edit-etc-app-582062:/etc/app ro-profile-fixture/config-edit:latest
