#!/usr/bin/env bash
# Installs the Debian packages vmviz needs to build and test, if missing.
set -euo pipefail
need=()
for pair in ncursesw:libncurses-dev readline:libreadline-dev cmocka:libcmocka-dev \
            zlib:zlib1g-dev liblzma:liblzma-dev; do
	pc=${pair%%:*} pkg=${pair#*:}
	pkg-config --exists "$pc" 2>/dev/null || need+=("$pkg")
done
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v tmux >/dev/null || need+=(tmux)
command -v cppcheck >/dev/null || need+=(cppcheck)
# The tests also use ps (screen tests find the program's pid), gzip and xz
# (compressed traces).
command -v ps >/dev/null || need+=(procps)
command -v gzip >/dev/null || need+=(gzip)
command -v xz >/dev/null || need+=(xz-utils)
command -v gcc >/dev/null || need+=(gcc)
command -v make >/dev/null || need+=(make)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing: ${need[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || true
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
