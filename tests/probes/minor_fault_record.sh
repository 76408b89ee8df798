#!/bin/sh
# minor_fault_record.sh - re-records tests/probes/minor_fault_time.txt: the
# time of one minor page fault on this machine, which src/cost.c charges.
# Usage: sh tests/probes/minor_fault_record.sh
cd "$(dirname "$0")" || exit 1
gcc -O2 -o /tmp/vmviz_minor_fault_time minor_fault_time.c || exit 1
{
	echo "# $(uname -srm), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
	setarch -R /tmp/vmviz_minor_fault_time
} > minor_fault_time.txt 2>&1
