# compare.awk - one sequence: the annotated script (what the real process
# saw), vmviz's stderr and transcript for it -> one result line.
# Usage: awk -v name=N -v rc=VMVIZ_EXIT [-v compat=1 -v bvsz=.. -v brss=..
#        -v bmin=..] -f compare.awk SCRIPT.vmm STDERR TRANSCRIPT
# (compat: vmviz ran the script rewritten with absolute checks; b*: its
# baseline.) Prints "R name steps first_step cause maps_ok q:ok/n..." (one
# per sequence; first_step 0 when every step agrees), "C name q@op step
# real_change vmviz_change command" for each step that changed VSZ, RSS or
# minflt differently, and "D name ..." lines on the first difference.

function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }

# A /proc/PID/maps line -> "start-end perms name": file names by basename,
# the program itself (diff_probe, a.out) as "prog".
function mapkey(line,    f, n, nm) {
	n = split(trim(line), f, /[ \t]+/)
	nm = n >= 6 && f[6] != "" ? f[6] : "anon"
	if (nm !~ /^\[/ && nm != "anon") {
		sub(/.*\//, "", nm)
		if (nm !~ /^(libc|ld-linux)/) nm = "prog"
	}
	return f[1] " " f[2] " " nm
}

# A value as vmviz or the probe prints it (12, -4K, 1028K, 2M, 0x7ffff7a00000,
# 0xfffffffffffff000 for -4K) -> a number (exact up to 2^53: enough here).
function num(v,    neg, x, i, h) {
	neg = v ~ /^-/; if (neg) v = substr(v, 2)
	if (v ~ /^0x/) {
		h = "0123456789abcdef"; v = tolower(substr(v, 3)); x = 0
		if (length(v) == 16 && v ~ /^f/) {	# two's complement: -(~v + 1)
			for (i = 1; i <= 16; i++) x = x * 16 + (15 - (index(h, substr(v, i, 1)) - 1))
			return -(x + 1)
		}
		for (i = 1; i <= length(v); i++) x = x * 16 + index(h, substr(v, i, 1)) - 1
	} else {
		x = v + 0
		if (v ~ /K$/) x *= 1024; else if (v ~ /M$/) x *= 1048576; else if (v ~ /G$/) x *= 1073741824
	}
	return neg ? -x : x
}

# A likely cause for the first difference, from what differs and where the
# real and vmviz addresses lie (x86-64 layout with ASLR off; awk has no hex
# constants: 139637976727552 is 0x7f0000000000, the mmap area's floor here;
# 140737353830400-140737353875456 the hole below [vvar], 0x7ffff7fb5000-
# 0x7ffff7fc0000).
function cause(k,    ln, r, v, e) {
	if (err[k] ~ /unknown command/) { e = err[k]; sub(/^unknown command '/, "", e); sub(/'.*/, "", e); return "no-command-" e }
	if (err[k] != "") return "vmviz-error@" op[k]
	if (!bad[k, "addr"]) {
		if (bad[k, "vsz"]) return "vsz@" op[k]
		if (bad[k, "rss"] || bad[k, "minflt"]) return "rss/minflt@" op[k]
		if (bad[k, "maps"]) return "maps-only@" op[k]
		return bad[k, "byte"] ? "byte-read:chunk-contents" : "?"
	}
	ln = lineof[k, "addr"]
	if (noval[ln]) return "addr-error@" op[k]
	r = num(real[k, "addr"]); v = num(got[ln])
	if (r < 139637976727552 && v >= 139637976727552) return "malloc:mmapped-not-from-top"
	if (r >= 139637976727552 && v < 139637976727552) return "malloc:heap-where-real-mmaps"
	if (r < 139637976727552) return "malloc:heap-chunk-choice"
	if (r >= 140737353830400 && r < 140737353875456) return "mmap:hole-below-vvar-unused"
	if ((r - r % 4096) % 2097152 == 0 && (v - v % 4096) % 2097152 != 0) return "mmap:2M-alignment"
	if (v - r == 12288) return "mmap:12K-off(loader-anon-maps)"
	return "mmap:placement-other"
}

function human(x) {
	return x != 0 && x % 1024 == 0 ? x / 1024 "K" : x ""
}

function opname(cmd) {
	if (cmd ~ /= *malloc\(/) return "malloc"
	if (cmd ~ /= *calloc\(/) return "calloc"
	if (cmd ~ /= *realloc\(/) return "realloc"
	if (cmd ~ /= *mmap\(/) return "mmap"
	if (cmd ~ /^free/) return "free"
	if (cmd ~ /^touch/) return "touch"
	if (cmd ~ /^munmap/) return "munmap"
	if (cmd ~ /^mprotect/) return "mprotect"
	if (cmd ~ /^[A-Za-z_0-9]+\[.*\] *=/) return "write"
	if (cmd ~ /= *[A-Za-z_0-9]+\[/) return "read"
	return "other"
}

FILENAME == ARGV[1] {
	ln = FNR; FNRMAX = FNR
	t = trim($0)
	if (t ~ /^# maps0 /) { sub(/^# maps0 /, "", t); rb[mapkey(t)] = 1; next }
	if (t ~ /^# maps1 /) { sub(/^# maps1 /, "", t); re[mapkey(t)] = 1; next }
	if (t ~ /^# maps /) {	# diff_probe -m: the maps after this step
		sub(/^# maps /, "", t); rstep[steps] = rstep[steps] SUBSEP mapkey(t); has[steps, "maps"] = 1; next
	}
	if (t == "" || t ~ /^#/ || t ~ /^\/\//) next
	if (t == "vsz0 = vsz" || t == "rss0 = rss" || t == "min0 = minflt" || t == "maps") { kind[ln] = "setup"; next }
	if (t ~ /^expect /) {
		e = substr(t, 8)
		i = index(e, " == ")
		lhs = substr(e, 1, i - 1); rhs = substr(e, i + 4)
		q = lhs == "vsz - vsz0" ? "vsz" : lhs == "rss - rss0" ? "rss" : lhs == "minflt - min0" ? "minflt" : \
		    lhs == made ? "addr" : "byte"
		kind[ln] = "expect"; qof[ln] = q; stepof[ln] = steps; want[ln] = rhs; nexpect++
		has[steps, q] = 1; real[steps, q] = rhs; lineof[steps, q] = ln
		next
	}
	steps++
	kind[ln] = "step"; stepof[ln] = steps; cmd[steps] = t; op[steps] = opname(t)
	made = ""
	if (t ~ /^[A-Za-z_][A-Za-z_0-9]* *= *[a-z]+\(/) { made = t; sub(/ *=.*/, "", made) }
	next
}

FILENAME == ARGV[2] {
	# "FILE:LINE: message"
	if (!match($0, /:[0-9]+: /)) next
	ln = substr($0, RSTART + 1, RLENGTH - 3) + 0
	msg = substr($0, RSTART + RLENGTH)
	if (msg ~ /^invariant broken/) {	# --check, after whatever line
		if (broken == "") broken = "after line " ln ": " msg
		next
	}
	if (kind[ln] == "expect") {
		nfailed++
		bad[stepof[ln], qof[ln]] = 1
		g = msg
		if (g ~ / failed: /) { sub(/.* is /, "", g) } else { g = "error: " g; noval[ln] = 1 }
		# compat: vmviz was given absolute checks; back to a change
		if (compat && !noval[ln] && qof[ln] ~ /^(vsz|rss|minflt)$/)
			g = human(num(g) - num(qof[ln] == "vsz" ? bvsz : qof[ln] == "rss" ? brss : bmin))
		got[ln] = g
	} else if (kind[ln] == "step") {
		err[stepof[ln]] = msg
	} else if (kind[ln] == "setup") {
		err[0] = msg
	}
	next
}

{
	# the transcript: the first "> maps" is the baseline, the last the end
	if ($0 ~ /^ok: /) npassed++
	if ($0 ~ /^> /) { inmaps = $0 == "> maps"; if (inmaps) nmaps++; next }
	if (inmaps && $1 !~ /^[0-9a-f]+-[0-9a-f]+$/) next	# not a maps line (e.g. --check's)
	if (inmaps && nmaps == 1) vb[mapkey($0)] = 1
	if (inmaps && nmaps > 1) {
		if (nmaps != lastm) { delete ve; lastm = nmaps }
		ve[mapkey($0)] = 1; vout[nmaps] = vout[nmaps] SUBSEP mapkey($0)
	}
}

# Did the maps change alike? real: a step's maps (SUBSEP-joined) against
# the real baseline rb; vm: the same for vmviz against vb. Fills mdiff with
# the lines that differ ("real+ ...", "vmviz- ..."): "" when alike.
function maps_alike(real, vm,    R, V, r, v, i, n, m) {
	delete r; delete v
	n = split(real, R, SUBSEP); for (i = 2; i <= n; i++) r[R[i]] = 1
	n = split(vm, V, SUBSEP); for (i = 2; i <= n; i++) v[V[i]] = 1
	mdiff = ""
	for (m in r) if (!(m in rb) && !(m in v && !(m in vb))) mdiff = mdiff "\n   maps real+  " m
	for (m in rb) if (!(m in r) && !(m in vb && !(m in v))) mdiff = mdiff "\n   maps real-  " m
	for (m in v) if (!(m in vb) && !(m in r && !(m in rb))) mdiff = mdiff "\n   maps vmviz+ " m
	for (m in vb) if (!(m in v) && !(m in rb && !(m in r))) mdiff = mdiff "\n   maps vmviz- " m
	return mdiff == ""
}

END {
	split("addr vsz rss minflt byte maps", Q, " ")
	# diff_probe -m: the transcript's maps after step k is the (k+1)th
	for (k = 1; k <= steps; k++)
		if (has[k, "maps"] && !maps_alike(rstep[k], vout[k + 1])) { bad[k, "maps"] = 1; mstep[k] = mdiff }
	first = 0
	for (k = 1; k <= steps; k++) {
		d = err[k] != ""
		for (j = 1; j <= 6; j++) if (bad[k, Q[j]]) d = 1
		if (d && !first) first = k
	}
	if (err[0] != "") first = first ? first : 1
	# Every expect must have been answered, or vmviz did not really run it.
	if (npassed + nfailed != nexpect) {
		err[0] = "vmviz answered " npassed + nfailed " of " nexpect " checks"
		if (rc > 128) err[0] = err[0] ": it crashed (signal " rc - 128 ")"
		incomplete = 1; first = 1
		# where it stopped: the step of the first check not answered
		c = 0
		for (ln = 1; ln <= FNRMAX; ln++)
			if (kind[ln] == "expect" && ++c == npassed + nfailed + 1) { first = stepof[ln]; break }
		for (k = 1; k <= steps; k++) for (j = 1; j <= 6; j++) if (has[k, Q[j]]) bad[k, Q[j]] = 1
	}
	# maps: what the sequence changed, real against vmviz
	mok = 1
	for (m in re) if (!(m in rb) && !(m in ve && !(m in vb))) mok = 0
	for (m in rb) if (!(m in re) && !(m in vb && !(m in ve))) mok = 0
	for (m in ve) if (!(m in vb) && !(m in re && !(m in rb))) mok = 0
	for (m in vb) if (!(m in ve) && !(m in rb && !(m in re))) mok = 0
	if (nmaps < 2) mok = 0
	cat = incomplete ? (rc > 128 ? "vmviz-crashed" : "vmviz-run-incomplete") : first ? cause(first) : \
	      !mok ? "maps-at-end-only" : broken != "" ? "vmviz-invariant-broken" : "-"
	# How each step changed VSZ, RSS and minflt, real against vmviz: a
	# difference at one step does not count again at every later one.
	split("vsz rss minflt", C, " ")
	for (j = 1; j <= 3; j++) {
		q = C[j]; pr = 0; pv = 0; valid = 1; cn[q] = 0; cok[q] = 0
		for (k = 1; k <= steps; k++) {
			if (!has[k, q]) continue
			ln = lineof[k, q]
			r = num(real[k, q])
			v = !bad[k, q] ? r : noval[ln] || got[ln] == "" ? "" : num(got[ln])
			if (v == "" || !valid) { valid = v != ""; pr = r; pv = v; cn[q]++; continue }
			cn[q]++
			if (r - pr == v - pv) cok[q]++
			else print "C " name " " q "@" op[k] " " k " " (r - pr) " " (v - pv) " " cmd[k]
			pr = r; pv = v
		}
	}
	line = "R " name " " steps " " first " " cat " " mok
	for (j = 1; j <= 6; j++) {
		n = 0; ok = 0
		for (k = 1; k <= steps; k++) if (has[k, Q[j]]) { n++; if (!bad[k, Q[j]]) ok++ }
		line = line " " Q[j] ":" ok "/" n
	}
	for (j = 1; j <= 3; j++) line = line " d" C[j] ":" cok[C[j]] "/" cn[C[j]]
	print line
	if (broken != "") print "D " name " vmviz invariant broken: " broken
	if (err[0] != "") print "D " name " vmviz: " err[0]
	if (!first && mok) exit
	if (!first) print "D " name " every step agrees; the maps at the end do not:"
	else if (incomplete) print "D " name " vmviz stopped at step " first ": " cmd[first]
	else print "D " name " first difference at step " first ": " cmd[first]
	if (err[first] != "") print "D " name "   vmviz error: " err[first]
	for (ln in kind) if (kind[ln] == "expect" && stepof[ln] == first && bad[first, qof[ln]])
		print "D " name "   " qof[ln] ": real " want[ln] ", vmviz " got[ln]
	if (bad[first, "maps"]) { gsub(/\n/, "\nD " name, mstep[first]); print "D " name "   maps after this step:" mstep[first] }
	if (!mok) {
		for (m in re) if (!(m in rb)) print "D " name "   maps real+  " m
		for (m in rb) if (!(m in re)) print "D " name "   maps real-  " m
		for (m in ve) if (!(m in vb)) print "D " name "   maps vmviz+ " m
		for (m in vb) if (!(m in ve)) print "D " name "   maps vmviz- " m
	}
}
