#!/bin/bash
# Soak: the release gleanerd over 2,000 feeds (faults mixed in) for some
# minutes; RSS and open fds sampled, on-time polling checked.
# usage: bench/soak/run.sh [SECONDS [INTERVAL]]   (defaults 300 and 30)
# Builds bin/gleanerd and bin/glean first.  Results: RELIABILITY.md.
set -e
cd "$(dirname "$0")/../.."
make --no-print-directory bin/gleanerd bin/glean >/dev/null
exec "${PYTHON:-python3}" bench/soak/soak.py bin/gleanerd bin/glean "$@"
