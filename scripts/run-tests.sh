#!/bin/sh
# The whole test suite: lint, start the services some tests need, pytest, stop them.
# Called by `make test` (and so by .ci/run). Extra arguments go to pytest.
# Each scripts/services/NAME.sh takes `start` or `stop`; a service that cannot start
# prints why, and the tests that need it skip with that reason.
set -u
cd "$(dirname "$0")/.."
BIN=.venv/bin
$BIN/ruff check src tests scripts || exit 1
for service in scripts/services/*.sh; do
    [ -e "$service" ] && sh "$service" start
done
$BIN/python -m pytest "$@"
status=$?
for service in scripts/services/*.sh; do
    [ -e "$service" ] && sh "$service" stop
done
exit $status
