#!/bin/sh
# hostile: a correct submission whose Descent.swift is renamed to a name with escape characters and "__".
# A file name with escape characters is awkward to keep in git, so this script makes it: it renames Descent.swift to
#   Desc ESC[2K ent__x ESC]52;c;cm0gLXJmIH4= BEL CSI(U+009B)31m .swift
# (a line clear, "__", which the grader turns into "/" when it reports paths, an OSC 52 clipboard write, a bell
# and a C1 CSI). Usage: make.sh [folder]  (default: the folder holding this script).
set -eu
cd "${1:-$(dirname "$0")}"
[ -f Descent.swift ] || { echo "make.sh: no Descent.swift here (already renamed?)" >&2; exit 1; }
exec mv Descent.swift "$(printf 'Desc\033[2Kent__x\033]52;c;cm0gLXJmIH4=\007\302\23331m.swift')"
