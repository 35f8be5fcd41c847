#!/bin/bash
# Storage faults (tests/faults/storage.py): full disk, file size limit,
# read-only database, long reader, writer lock.  usage: storage.sh GLEANERD GLEAN
exec "${PYTHON:-python3}" "$(dirname "$0")/storage.py" "$@"
