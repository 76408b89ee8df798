#!/bin/sh
# smaps_record.sh - re-records what tests/smaps_compare.sh compares vmviz
# with, and the memcpy fault residue: builds the probes, runs them with ASLR
# off (smaps_steps re-executes itself so), writes the .txt files here.
# Usage: sh tests/probes/smaps_record.sh
set -e
cd "$(dirname "$0")"
gcc -O1 -Wall -Wextra -o /tmp/vmviz_smaps_steps smaps_steps.c
gcc -O1 -Wall -Wextra -o /tmp/vmviz_smaps_vmflags smaps_vmflags.c
gcc -O1 -Wall -Wextra -o /tmp/vmviz_memcpy_fault memcpy_fault.c
/tmp/vmviz_smaps_steps > smaps_steps.txt
setarch -R /tmp/vmviz_smaps_vmflags > smaps_vmflags.txt
{
	echo "# $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); glibc $(ldd --version | head -1 | awk '{print $NF}'); kernel $(uname -r)"
	setarch -R /tmp/vmviz_memcpy_fault
} > memcpy_fault.txt
rm -f /tmp/vmviz_smaps_steps /tmp/vmviz_smaps_vmflags /tmp/vmviz_memcpy_fault
