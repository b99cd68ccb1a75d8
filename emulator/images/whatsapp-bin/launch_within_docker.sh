#!/usr/bin/env bash
# Emulator stand-in for Meta's /opt/whatsapp/bin/launch_within_docker.sh: runs the emulator program.
# WA_EMULATOR_IMAGE (coreapp|web) and WA_EMULATOR_VERSION come from the image's ENV.
exec node /opt/whatsapp/emulator/main.js "$@"
