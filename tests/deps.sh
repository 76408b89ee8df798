#!/usr/bin/env bash
# deps.sh run|test - installs the Debian packages vmviz needs, if missing:
# `run` what building and running it needs, `test` that and the test tools.
# As root it runs apt-get; otherwise through sudo; without either it prints
# the exact command to run and stops (unless nothing is missing).
set -euo pipefail
what=${1:-test}
need=()
for pair in ncursesw:libncurses-dev readline:libreadline-dev zlib:zlib1g-dev liblzma:liblzma-dev; do
	pc=${pair%%:*} pkg=${pair#*:}
	pkg-config --exists "$pc" 2>/dev/null || need+=("$pkg")
done
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v gcc >/dev/null || need+=(gcc)
command -v make >/dev/null || need+=(make)
if [ "$what" = test ]; then
	pkg-config --exists cmocka 2>/dev/null || need+=(libcmocka-dev)
	command -v tmux >/dev/null || need+=(tmux)
	command -v cppcheck >/dev/null || need+=(cppcheck)
	# The tests also use ps (screen tests find the program's pid), gzip and
	# xz (compressed traces), and man (the installed manual page).
	command -v ps >/dev/null || need+=(procps)
	command -v gzip >/dev/null || need+=(gzip)
	command -v xz >/dev/null || need+=(xz-utils)
	command -v man >/dev/null || need+=(man-db)
	# vmviz record names the source lines of calls with addr2line.
	command -v addr2line >/dev/null || need+=(binutils)
fi
[ ${#need[@]} -eq 0 ] && exit 0
line="apt-get update && apt-get install -y --no-install-recommends ${need[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	# sudo may ask for a password only where someone can type it.
	if ! command -v sudo >/dev/null || { ! sudo -n true 2>/dev/null && ! [ -t 0 ]; }; then
		echo "vmviz: missing packages: ${need[*]}; as root, run: $line" >&2
		exit 1
	fi
	sudo="sudo"
fi
echo "installing: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || true
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
