#!/usr/bin/env bash
# install.sh - `make install` into a temporary folder, the installed vmviz
# used from another folder (version, the scenario list, a scenario run by
# name, the manual page rendered without warnings), then `make uninstall`
# must leave the folder empty. `make install-test` (part of `make test`).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STAGE=$(mktemp -d)
ELSEWHERE=$(mktemp -d)
trap 'rm -rf "$STAGE" "$ELSEWHERE"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { echo "FAIL install: $*"; fail=$((fail + 1)); }

make -C "$ROOT" --no-print-directory -s install DESTDIR="$STAGE" PREFIX=/usr >/dev/null || no "make install failed"
BIN=$STAGE/usr/bin/vmviz
[ -x "$BIN" ] && ok || no "no binary at $BIN"
cd "$ELSEWHERE" || exit 2
[ "$("$BIN" --version)" = "vmviz 0.1.0" ] && ok || no "--version from another folder"
list=$("$BIN" play --list)
grep -q "^Scenarios in $STAGE/usr/share/vmviz/scenarios" <<<"$list" && ok || no "play --list names the installed folder: $list"
grep -Eq '^  09-whole-flow +The whole flow' <<<"$list" && ok || no "play --list shows 09 and its title"
"$BIN" run 09 >out.txt 2>err.txt && ok || no "run 09 (an installed scenario by number): $(cat err.txt)"
"$BIN" run "$ROOT/scenarios/09-whole-flow.vmm" >want.txt 2>&1
cmp -s out.txt want.txt && ok || no "run 09 is not the whole-flow scenario's transcript"
"$BIN" run page-table-walk >/dev/null 2>err.txt && ok || no "run page-table-walk (by name): $(cat err.txt)"
# vmviz record finds the library installed beside it (PREFIX/lib/vmviz).
"$BIN" record -o rec.vmm /bin/true >/dev/null 2>err.txt
rc=$?
{ [ "$rc" -eq 0 ] && [ -s rec.vmm ]; } || [ "$rc" -eq 77 ] && ok || no "installed vmviz record: exit $rc: $(cat err.txt)"
man_err=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$STAGE/usr/share/man/man1/vmviz.1" 2>&1 >man.txt)
[ -z "$man_err" ] && ok || no "man -l warns: $man_err"
grep -Eq 'vmviz +- +see +Linux +virtual' man.txt && ok || no "the manual page renders its NAME"
[ -f "$STAGE/usr/share/bash-completion/completions/vmviz" ] && bash -n "$STAGE/usr/share/bash-completion/completions/vmviz" &&
	ok || no "bash completion installed and valid"
cd "$ROOT" || exit 2
make --no-print-directory -s uninstall DESTDIR="$STAGE" PREFIX=/usr >/dev/null || no "make uninstall failed"
left=$(find "$STAGE" -mindepth 1)
[ -z "$left" ] && ok || no "uninstall left: $left"
# Without root or sudo, a missing package is one line with the command to run.
if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null; then
	tools=$(mktemp -d)
	chmod 755 "$tools"
	for t in bash pkg-config gcc make id cppcheck ps gzip xz man sed env addr2line; do
		ln -s "$(command -v "$t")" "$tools/$t"
	done # no tmux and no sudo
	# A copy nobody can read, wherever the checkout lives (/root is 0700).
	cp "$ROOT/tests/deps.sh" "$tools/deps.sh"
	chmod 755 "$tools/deps.sh"
	err=$(cd "$tools" && runuser -u nobody -- env PATH="$tools" bash "$tools/deps.sh" test 2>&1 >/dev/null)
	status=$?
	rm -rf "$tools"
	[ "$status" -eq 1 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		grep -q "^vmviz: missing packages: tmux; as root, run: apt-get update && apt-get install -y --no-install-recommends tmux$" <<<"$err" &&
		ok || no "deps without root or sudo: exit $status, said: $err"
else
	echo "install: not root, the no-sudo check of deps.sh skipped"
fi
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
