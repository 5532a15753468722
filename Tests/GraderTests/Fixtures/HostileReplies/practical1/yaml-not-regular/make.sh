#!/bin/sh
# hostile: replaces submission.yaml by a FIFO (named pipe) with no writer: opening or reading it blocks forever.
# A FIFO cannot be kept in git, so this script makes it. Usage: make.sh [folder]  (default: this script's folder).
set -eu
cd "${1:-$(dirname "$0")}"
rm -f submission.yaml
exec mkfifo submission.yaml
