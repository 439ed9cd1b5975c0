#!/usr/bin/env python3
"""The functions a callgrind run executed, as a linker symbol-ordering list.

Usage: hot_functions.py CALLGRIND_OUT BINARY LIST_OUT

Reads callgrind's output (written with --demangle=no, so names are the symbols the
linker knows), keeps the functions of BINARY's symbol table (`nm`), most instructions
first, writes them one per line to LIST_OUT, and prints a table: how many functions
ran, their size, and how many 4 KB pages and 64 KB runs of the binary they lie in.
"""
import collections
import re
import subprocess
import sys

out, binary, list_out = sys.argv[1:4]

names, cost = {}, collections.Counter()
current, after_calls = None, False
with open(out, errors="replace") as f:
    for line in f:
        line = line.rstrip("\n")
        m = re.match(r"^(c?)fn=\((\d+)\)(?: (.*))?$", line)
        if m:
            called, ident, name = m.groups()
            if name:
                names[ident] = name
            if called:
                cost[ident] += 0
            else:
                current, after_calls = ident, False
            continue
        if line.startswith("calls="):
            after_calls = True  # the next cost line is the call's inclusive cost
            continue
        if current and line[:1] and (line[0].isdigit() or line[0] in "+-*"):
            parts = line.split()
            if after_calls:
                after_calls = False
            elif len(parts) >= 2:
                cost[current] += int(parts[1])

symbols = {}
nm = subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True, text=True, check=True)
for line in nm.stdout.splitlines():
    fields = line.split()
    if len(fields) == 4 and fields[2] in "tTwW":
        symbols[fields[3]] = (int(fields[0], 16), int(fields[1], 16))

ran = collections.Counter()
for ident, name in names.items():
    ran[re.sub(r"'\d+$", "", name)] += cost[ident]  # callgrind marks recursion as name'2
hot = [n for n, _ in sorted(ran.items(), key=lambda kv: (-kv[1], kv[0])) if n in symbols]
# Serving runs thousands of functions: far fewer means the run did not serve (a failed
# start, an empty dump), and the list in the repository is kept as it is.
if len(hot) < 1000:
    sys.exit(f"only {len(hot)} functions of the binary ran: the list is left as it was")
with open(list_out, "w") as f:
    f.write("\n".join(hot) + "\n")

size = sum(symbols[n][1] for n in hot)
pages = set()
for n in hot:
    start, length = symbols[n]
    pages.update(range(start // 4096, (start + max(length, 1) - 1) // 4096 + 1))
runs = {p // 16 for p in pages}
all_code = sum(length for _, length in symbols.values())
print("| what | count | MB |")
print("|---|---:|---:|")
print(f"| functions in the binary | {len(symbols):,} | {all_code / 2**20:.1f} |")
print(f"| functions the run executed | {len(hot):,} | {size / 2**20:.1f} |")
print(f"| 4 KB pages they lie in | {len(pages):,} | {len(pages) * 4 / 1024:.1f} |")
print(f"| 64 KB runs they lie in | {len(runs):,} | {len(runs) * 64 / 1024:.1f} |")
