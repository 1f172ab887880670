#!/usr/bin/env python3
"""Interleaved A/B timing of shell commands: A B A B ... (alternating which goes first), then the
median, minimum and mean wall time of each. This VM's speed drifts by tens of percent within
minutes, so two commands timed one after the other (as hyperfine does) can differ by more than the
change under test; interleaving exposes both to the same drift.

    bench/startup/compare.py RUNS 'COMMAND A' 'COMMAND B' [...]

Each command runs once untimed first. A command that fails stops the comparison.
"""
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    runs = int(sys.argv[1])
    commands = sys.argv[2:]
    times = {command: [] for command in commands}
    for command in commands:
        subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for i in range(runs):
        for command in commands if i % 2 == 0 else commands[::-1]:
            start = time.perf_counter()
            result = subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[command].append(time.perf_counter() - start)
            if result.returncode != 0:
                sys.exit(f"failed (exit {result.returncode}): {command}")
    for command in commands:
        t = times[command]
        print(f"median {statistics.median(t) * 1000:7.1f} ms  min {min(t) * 1000:7.1f}  "
              f"mean {statistics.mean(t) * 1000:7.1f}  {command}")


if __name__ == "__main__":
    main()
