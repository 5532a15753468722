#!/bin/sh
# Makes alice's train() return hostileNetwork(hints) (HostileNetwork.swift) instead of training, so the fixture holds
# only what differs from the sample. Usage: make.sh [folder]  (default: the folder holding this script).
set -eu
cd "${1:-$(dirname "$0")}"
grep -q 'trainNetwork(data, hints: hints, seconds: seconds)' Solution.swift || { echo "make.sh: alice's train() call is not in Solution.swift" >&2; exit 1; }
sed -i 's/trainNetwork(data, hints: hints, seconds: seconds)/hostileNetwork(hints)/' Solution.swift
