#!/bin/sh
# Makes sure Debian's chromium is installed for the browser tests. Installs it
# with apt-get when running as root; otherwise says which package is missing.
# Never downloads a browser build from anywhere else.
CHROMIUM=${SKYGLASS_CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "e2e: installing Debian's chromium package (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null || { echo "e2e: apt-get install chromium failed"; exit 1; }
  [ -x "$CHROMIUM" ] && exit 0
fi
echo "e2e: $CHROMIUM not found: install Debian's 'chromium' package (sudo apt-get install chromium), or set SKYGLASS_CHROMIUM" >&2
exit 1
