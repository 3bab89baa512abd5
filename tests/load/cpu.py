"""CPU time, for the load test's report: the machine's, and that of the test's own processes.

    cpu.py PID...   prints JSON: the machine's busy and total CPU seconds since boot, and the
                    CPU seconds used by the given processes and everything under them

The machine is shared; comparing the two says how much of it the test had.
"""

import json
import os
import sys

TICK = os.sysconf("SC_CLK_TCK")


def machine() -> tuple[float, float]:
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(n) for n in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields) - idle) / TICK, sum(fields) / TICK


def processes() -> dict[int, tuple[int, float, str]]:
    """Every process's parent, CPU seconds (its own, and its reaped children's) and name."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as stat:
                text = stat.read()
        except OSError:
            continue
        command, fields = text.split("(", 1)[1].rsplit(")", 1)[0], text.rsplit(")", 1)[1].split()
        found[int(name)] = (int(fields[1]), sum(int(n) for n in fields[11:15]) / TICK, command)
    return found


def tree_seconds(roots: list[int]) -> tuple[float, dict[str, float]]:
    """CPU seconds of the processes under `roots`, in all and by process name."""
    table = processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in table.items():
        children.setdefault(parent, []).append(pid)
    total, by_name, todo, seen = 0.0, {}, [pid for pid in roots if pid in table], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        _, seconds, command = table[pid]
        total += seconds
        by_name[command] = by_name.get(command, 0.0) + seconds
        todo.extend(children.get(pid, []))
    return total, by_name


if __name__ == "__main__":
    busy, total = machine()
    ours, by_name = tree_seconds([int(pid) for pid in sys.argv[1:]])
    print(json.dumps({"busy": busy, "total": total, "ours": ours, "by_name": by_name}))
