#!/usr/bin/env python3
"""Where the CPU of a JFR recording goes below one method (docs/benchmarks.md, "Session 36").

Reads `jfr print --stack-depth 64 --events jdk.ExecutionSample REC.jfr` on stdin, keeps the samples whose stack holds
a frame containing ROOT (e.g. AbstractRelaxer.relax), and prints, as counts and shares of those samples:
  - the methods ROOT called, with the line of ROOT that called them ("calls"),
  - the innermost methods ("top frames"), overall and for the samples below each SPLIT frame given.
Usage:
  jfr print --stack-depth 64 --events jdk.ExecutionSample REC.jfr | bench/jfr-split.py ROOT [SPLIT ...]
"""
import collections
import re
import sys

FRAME = re.compile(r"^\s+([\w.$<>]+)\(.*?\)\s+line: (\d+)", re.M)


def short(name):
    parts = name.split(".")
    return ".".join(parts[-2:])


def table(title, counter, total, rows=15):
    print(f"{title} ({sum(counter.values())} samples)")
    for key, n in counter.most_common(rows):
        print(f"  {n:6d} {100.0 * n / total:5.1f} %  {key}")


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: jfr print --stack-depth 64 --events jdk.ExecutionSample REC.jfr | jfr-split.py ROOT [SPLIT ...]")
    root, splits = sys.argv[1], sys.argv[2:]
    calls, tops = collections.Counter(), collections.Counter()
    split_tops = {s: collections.Counter() for s in splits}
    total = 0
    for event in sys.stdin.read().split("jdk.ExecutionSample {")[1:]:
        frames = FRAME.findall(event)
        at = next((k for k, (name, _) in enumerate(frames) if root in name), None)
        if at is None:
            continue
        total += 1
        callee = short(frames[at - 1][0]) if at > 0 else "(self)"
        calls[f"{callee} <- line {frames[at][1]}"] += 1
        tops[short(frames[0][0])] += 1
        for s in splits:
            if any(s in name for name, _ in frames[:at]):
                split_tops[s][short(frames[0][0])] += 1
    if total == 0:
        sys.exit(f"no sample has a frame containing {root!r}")
    print(f"{total} samples below {root}")
    table("calls", calls, total)
    table("top frames", tops, total)
    for s in splits:
        table(f"top frames below {s}", split_tops[s], total)


if __name__ == "__main__":
    main()
