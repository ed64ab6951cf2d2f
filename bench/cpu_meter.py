"""CPU seconds used by process trees over a measured window, read from /proc (Linux).

psutil is not installed in Tracer's venv; ``/proc/<pid>/stat`` gives the same user + system
time. A role (``rasa``, ``actions``, ``database``...) is a set of root pids; each is counted with
all its descendants alive at the snapshot, plus the time of children it has already waited for.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds incl. waited-for children) of ``pid``; None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()  # after "pid (comm) "
    ppid = int(fields[1])
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return ppid, (utime + stime + cutime + cstime) / TICKS


def _tree_cpu(roots: list[int]) -> float:
    stats: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            found = _stat(int(entry))
            if found is not None:
                stats[int(entry)] = found
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    total, todo, seen = 0.0, list(roots), set()
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in stats:
            continue
        seen.add(pid)
        total += stats[pid][1]
        todo.extend(children.get(pid, []))
    return total


@dataclass
class CpuMeter:
    """Snapshots the CPU time of named process trees and of this process (the load generator)."""

    roles: dict[str, list[int]]

    def snapshot(self) -> dict[str, float]:
        """CPU seconds so far per role, and ``load_generator`` (this process) and wall time."""
        found = {role: _tree_cpu(pids) for role, pids in self.roles.items()}
        own = os.times()
        found["load_generator"] = own.user + own.system
        found["wall"] = time.monotonic()
        return found

    @staticmethod
    def per_thousand(before: dict[str, float], after: dict[str, float], messages: int) -> dict:
        """CPU seconds per 1,000 messages per role between two snapshots, and their sum
        without the load generator (``stack``), and the cores the stack kept busy."""
        scale = 1000 / max(messages, 1)
        wall = max(after["wall"] - before["wall"], 1e-9)
        used = {role: after[role] - before[role] for role in after if role != "wall"}
        stack = sum(seconds for role, seconds in used.items() if role != "load_generator")
        figures = {f"{role}_cpu_s": round(seconds * scale, 2) for role, seconds in used.items()}
        figures["stack_cpu_s"] = round(stack * scale, 2)
        figures["stack_cores_busy"] = round(stack / wall, 2)
        return figures
