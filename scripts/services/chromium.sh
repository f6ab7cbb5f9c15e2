#!/bin/sh
# Debian's Chromium for the `browser` tests (tests/viz/test_browser.py drives it with Playwright).
#
#   sh scripts/services/chromium.sh start    # install the Debian package `chromium` if missing
#   sh scripts/services/chromium.sh stop     # nothing runs between tests: only reports
#   sh scripts/services/chromium.sh status
#
# `start` is idempotent, prints one status line and always exits 0. The line is also written
# to $SWARMSIM_CHROMIUM_DIR/status (default /tmp/swarmsim-chromium/status); when Chromium
# cannot be had, the browser tests skip with that reason.
set -u
DIR=${SWARMSIM_CHROMIUM_DIR:-/tmp/swarmsim-chromium}
STATUS=$DIR/status
BINARY=/usr/bin/chromium

say() {
    mkdir -p "$DIR"
    printf '%s\n' "$1" > "$STATUS"
    echo "chromium: $1"
}

version() {
    "$BINARY" --version 2>/dev/null | head -n 1
}

install_chromium() {
    [ "$(id -u)" = 0 ] || { REASON="$BINARY missing and installing needs root (apt-get install chromium)"; return; }
    command -v apt-get >/dev/null || { REASON="$BINARY missing and apt-get is not available"; return; }
    export DEBIAN_FRONTEND=noninteractive
    apt="apt-get -o DPkg::Lock::Timeout=300 -y -qq"
    mkdir -p "$DIR"
    { $apt update && $apt install chromium; } >"$DIR/apt.log" 2>&1 \
        || REASON="apt-get install chromium failed (see $DIR/apt.log)"
}

case "${1:-status}" in
start)
    REASON="$BINARY does not run (try: $BINARY --version)"
    [ -x "$BINARY" ] || install_chromium
    if [ -x "$BINARY" ] && [ -n "$(version)" ]; then
        say "ready: $(version)"
    else
        say "not available: $REASON"
    fi
    ;;
stop) ;;
status) echo "chromium: $(cat "$STATUS" 2>/dev/null || echo 'not started')" ;;
*) echo "usage: $0 start|stop|status" >&2 ;;
esac
exit 0
