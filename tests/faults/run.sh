#!/bin/bash
# The fault suite (tests/faults/faults.py): gleanerd against a fault-injecting
# server, one check per fault.  usage: run.sh GLEANERD GLEAN [GLEANERD_RELEASE]
exec "${PYTHON:-python3}" "$(dirname "$0")/faults.py" "$@"
