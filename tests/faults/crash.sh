#!/bin/bash
# Crash safety (tests/faults/crash.py): SIGKILL during heavy ingest, 20 times
# by default.  usage: crash.sh GLEANERD GLEAN [KILLS]
exec "${PYTHON:-python3}" "$(dirname "$0")/crash.py" "$@"
