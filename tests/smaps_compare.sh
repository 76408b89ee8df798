#!/bin/bash
# smaps_compare.sh - vmviz's `status` and `smaps` against a real process's
# /proc/self/status and /proc/self/smaps after the same steps
# (tests/probes/smaps_steps.c, recorded in smaps_steps.txt; the steps for
# vmviz in smaps_steps.vmm). Compared:
#  - the field names of a smaps block, in order (the kernel's format);
#  - every mapping: range, permissions and VmFlags; for anonymous and
#    writable ones (the pages the steps and the prefault made) every field;
#    read-only file mappings only Size (vmviz does not page in libc's code
#    as the dynamic loader does);
#  - in the forked child, only the heap fully, elsewhere Size, Rss,
#    Anonymous and Swap: the real child runs code (its stack, TLS, libc's
#    data take copy-on-write faults), vmviz's child does nothing;
#  - status: VmSize VmLck VmPin RssShmem VmData VmStk VmExe VmLib VmSwap as
#    they are, VmPeak once the steps set it, VmRSS RssAnon RssFile VmPTE as
#    changes since the first step (the real process's loader faulted in
#    file pages and page tables that vmviz does not model, and wrote its
#    RELRO pages before making them read-only: 28 kB of RssAnon that vmviz
#    counts as file pages). VmHWM is not
#    compared: kernel 6.18 takes the high-water mark from per-CPU RSS
#    counters that lag (recorded: VmHWM 1476 kB after an RSS of 1696 kB).
# Usage: smaps_compare.sh [VMVIZ]   Exit 0 when all agree.
set -u
here=$(cd "$(dirname "$0")" && pwd)
vmviz=${1:-$here/../build/vmviz}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$vmviz" run --frames 8192 --lang en "$here/probes/smaps_steps.vmm" >"$out" 2>&1 ||
	{ echo "smaps_compare: vmviz failed on smaps_steps.vmm:"; grep -v '^  ' "$out" | tail -5; exit 1; }
awk '
function norm(line) { gsub(/[ \t]+/, " ", line); return line }
# one record: step, what (status / a mapping), field -> value
function keep(src, line,    f, k, n, a) {
	if (line ~ /^(Vm|Rss)[A-Za-z]*:\t/) {
		split(line, a, /:\t */); sub(/ kB$/, "", a[2])
		val[src, step, "status", a[1]] = a[2]; return
	}
	if (line ~ /^[0-9a-f]+-[0-9a-f]+ /) {
		n = split(line, a, / +/)
		vma = a[1] " " a[2]
		named = n >= 6 && a[6] != ""
		kind[src, step, vma] = a[2] ~ /w/ || !named ? "anon" : (a[6] ~ /^\[v/ ? "special" : "file")
		if (a[6] ~ /^\[v/) kind[src, step, vma] = "special"
		seen[src, step, vma] = 1
		if (!((src, step) in order)) order[src, step] = ""
		order[src, step] = order[src, step] " " vma
		nf = 0
		return
	}
	if (line ~ /^[A-Za-z_]+:/) {
		k = line; sub(/:.*/, "", k)
		f = line; sub(/^[^:]*: */, "", f); sub(/ kB$/, "", f); f = norm(f)
		val[src, step, vma, k] = f
		if (src == "real" && step == first) { if (!(k in fpos)) { fpos[k] = ++nfields; fname[nfields] = k } }
		if (src == "vmviz" && step == first && vma == firstvma[src]) vfields = vfields " " k
		if (src == "real" && step == first && vma == firstvma[src]) rfields = rfields " " k
	}
}
FNR == 1 { src = (FILENAME == ARGV[1]) ? "real" : "vmviz"; step = "" }
src == "real" && /^## / { step = substr($0, 4); if (first == "") first = step; steps[++nsteps] = step; vma = ""; next }
src == "vmviz" && /^step / { step = substr($0, 6); vma = ""; next }
src == "vmviz" && (/^> / || /^  /) { next }
step == "" { next }
{
	keep(src, $0)
	if ($0 ~ /^[0-9a-f]+-[0-9a-f]+ / && !((src) in firstvma)) firstvma[src] = vma
}
function differ(what, r, v) { bad++; if (bad <= 40) printf "%s: %s: real %s, vmviz %s\n", s, what, r, v }
END {
	if (rfields != vfields) differ("smaps fields", rfields, vfields)
	split("VmSize VmLck VmPin RssShmem VmData VmStk VmExe VmLib VmSwap", absolute, " ")
	split("VmRSS RssAnon RssFile VmPTE", delta, " ")
	for (i = 1; i <= nsteps; i++) {
		s = steps[i]
		if (!(("vmviz", s, "status", "VmSize") in val)) { differ("step", "present", "missing"); continue }
		for (j in absolute) { k = absolute[j]; if (val["real", s, "status", k] != val["vmviz", s, "status", k]) differ(k, val["real", s, "status", k], val["vmviz", s, "status", k]); checked++ }
		for (j in delta) {
			k = delta[j]
			r = val["real", s, "status", k] - val["real", first, "status", k]
			v = val["vmviz", s, "status", k] - val["vmviz", first, "status", k]
			if (s != "child" && r != v) differ(k " change", r, v); checked++
		}
		if (val["real", s, "status", "VmPeak"] != val["real", first, "status", "VmPeak"] && val["real", s, "status", "VmPeak"] != val["vmviz", s, "status", "VmPeak"])
			differ("VmPeak", val["real", s, "status", "VmPeak"], val["vmviz", s, "status", "VmPeak"])
		n = split(order["real", s], vs, " ")
		for (m = 1; m + 1 <= n; m += 2) {
			vma = vs[m] " " vs[m + 1]
			if (!(("vmviz", s, vma) in seen)) { differ("mapping " vma, "present", "missing"); continue }
			for (f = 1; f <= nfields; f++) {
				k = fname[f]
				if (kind["real", s, vma] != "anon" && k != "Size" && k != "VmFlags") continue
				if (s == "child" && vma !~ /^555555559000-/ && k !~ /^(Size|Rss|Anonymous|Swap|VmFlags)$/) continue
				if (val["real", s, vma, k] != val["vmviz", s, vma, k]) differ(vma " " k, val["real", s, vma, k], val["vmviz", s, vma, k])
				checked++
			}
		}
		n = split(order["vmviz", s], vs, " ")
		for (m = 1; m + 1 <= n; m += 2)
			if (!(("real", s, vs[m] " " vs[m + 1]) in seen)) differ("mapping " vs[m] " " vs[m + 1], "missing", "present")
	}
	printf "smaps/status: %d steps, %d values compared, %d differ\n", nsteps, checked, bad
	exit bad > 0
}' "$here/probes/smaps_steps.txt" "$out"
rc=$?
# Second: every mapping's VmFlags (and range, permissions) in the mmap area,
# for each kind of mapping vmviz makes (tests/probes/smaps_vmflags.c).
vmflags() { awk '/^[0-9a-f]+-/ { k = $1 " " $2; next } /^VmFlags/ && k ~ /^7ff/ { print k " | " $0 }'; }
printf '%s\n' 'a = mmap 8K rw shared' 'a[0] = 1' 'a[4096] = 2' 'mmap 12K r shared' 'mmap 20K none' 'mmap 28K r' \
	'mmap 36K rwx' 'f = mmap 44K' 'f[0] = 1' 'mprotect f 44K none' 'smaps' |
	"$vmviz" run --frames 1024 --lang en - 2>&1 | vmflags >"$out"
if diff <(vmflags <"$here/probes/smaps_vmflags.txt") "$out" >/dev/null; then
	echo "smaps VmFlags: $(wc -l <"$out") mappings agree"
else
	echo "smaps VmFlags: differ (real <, vmviz >):"
	diff <(vmflags <"$here/probes/smaps_vmflags.txt") "$out"
	rc=1
fi
exit $rc
