#!/usr/bin/env bash
# attach_fixture.sh - records what /proc says of tests/progs/att_pause
# (paused, then after SIGUSR1 wrote 32 more pages) into
# tests/fixtures/attach/, for tests/test_attach.c: comm, smaps, stat,
# status as the kernel printed them; pagemap and kpagecount/kpageflags
# (binary files) as text, "ADDR ENTRY" per non-empty page and
# "PFN COUNT FLAGS" per present page, all hex. Run as root to record PFNs.
# Usage: tests/probes/attach_fixture.sh [BUILD_DIR]
set -euo pipefail
BUILD=${1:-build}
OUT=tests/fixtures/attach
TMP=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$TMP"' EXIT
mkfifo "$TMP/ready"
"$BUILD/tests/progs/att_pause" >"$TMP/ready" &
pid=$!
exec 3<"$TMP/ready"
read -r _ <&3
sleep 0.3 # asleep in pause()
dump() { # SUFFIX
	for f in comm smaps stat status; do
		cat "/proc/$pid/$f" >"$OUT/$f$1"
	done
	python3 - "$pid" "$OUT/pagemap$1.txt" "$OUT/kpage$1.txt" <<'PY'
import struct, sys
pid, pm_out, kp_out = sys.argv[1], sys.argv[2], sys.argv[3]
ranges = []
for line in open(f"/proc/{pid}/maps"):
    lo, hi = (int(x, 16) for x in line.split()[0].split("-"))
    if hi <= 1 << 47:
        ranges.append((lo, hi))
pfns = set()
with open(f"/proc/{pid}/pagemap", "rb") as pm, open(pm_out, "w") as out:
    for lo, hi in ranges:
        pm.seek(lo // 4096 * 8)
        data = pm.read((hi - lo) // 4096 * 8)
        for i in range(len(data) // 8):
            (e,) = struct.unpack("<Q", data[i * 8:i * 8 + 8])
            if e & ((1 << 63) | (1 << 62)):
                out.write(f"{lo + i * 4096:x} {e:x}\n")
                if e >> 63 and e & ((1 << 55) - 1):
                    pfns.add(e & ((1 << 55) - 1))
with open(kp_out, "w") as out:
    try:
        with open("/proc/kpagecount", "rb") as c, open("/proc/kpageflags", "rb") as f:
            for p in sorted(pfns):
                c.seek(p * 8)
                f.seek(p * 8)
                (n,) = struct.unpack("<Q", c.read(8))
                (fl,) = struct.unpack("<Q", f.read(8))
                out.write(f"{p:x} {n:x} {fl:x}\n")
    except PermissionError:
        pass
PY
}
dump ""
kill -USR1 "$pid"
read -r _ <&3
sleep 0.2
dump ".more"
echo "recorded pid $pid into $OUT"
