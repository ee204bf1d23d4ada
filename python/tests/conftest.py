"""Shared fixtures: the package from this checkout, one server for the tests that can share it,
and a tiny LOBSTER day on disk for Liquidate-Replay-v0."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "python"))

import execution_gym as eg  # noqa: E402

NODE = os.environ.get("EXECUTION_GYM_NODE", "node")


@pytest.fixture(scope="session")
def server():
    with eg.Server() as s:
        yield s


def write_day(directory: Path, seconds: int = 900) -> dict:
    """A level-1 LOBSTER day of `seconds`: one bid (99 ticks) and one ask (101) level refilled by
    adds every second, executions of the front order every 3 s (alternating sides), deletions of
    the newest order every 5 s. Returns the env options naming the files."""
    s0 = 34200
    q = {1: [[1, 300]], -1: [[2, 300]]}
    px = {1: 9900, -1: 10100}
    nid = 3
    msgs, rows = [], []

    def row():
        return [10100, sum(o[1] for o in q[-1]), 9900, sum(o[1] for o in q[1])]

    for t in range(1, seconds):
        side = 1 if t % 2 == 0 else -1
        size = 100 * (1 + (t * 7) % 3)
        q[side].append([nid, size])
        msgs.append([s0 + t, 1, nid, size, px[side], side])
        nid += 1
        rows.append(row())
        if t % 3 == 0:
            s = 1 if (t // 3) % 2 == 0 else -1
            if len(q[s]) > 1:
                front = q[s][0]
                take = min(front[1], 1 + (t * 37) % 150)
                front[1] -= take
                if front[1] == 0:
                    q[s].pop(0)
                msgs.append([s0 + t + 0.5, 4, front[0], take, px[s], s])
                rows.append(row())
        if t % 5 == 0:
            s = 1 if (t // 5) % 2 == 0 else -1
            if len(q[s]) > 1:
                o = q[s].pop()
                msgs.append([s0 + t + 0.7, 3, o[0], o[1], px[s], s])
                rows.append(row())
    m = directory / "DAY_message_1.csv"
    b = directory / "DAY_orderbook_1.csv"
    m.write_text("".join(",".join(repr(x) if isinstance(x, float) else str(x) for x in r) + "\n" for r in msgs))
    b.write_text("".join(",".join(str(x) for x in r) + "\n" for r in rows))
    return {"messages": str(m), "orderbook": str(b), "sessionSeconds": seconds, "horizonSeconds": 120}


@pytest.fixture(scope="session")
def replay_options(tmp_path_factory) -> dict:
    return write_day(tmp_path_factory.mktemp("lobster"))


def env_cases(replay: dict) -> list[tuple[str, str, dict]]:
    """(name, env id, options): every env id, and the discrete action mode."""
    return [
        ("Liquidate-v0", "Liquidate-v0", {"horizonSeconds": 120}),
        ("Acquire-v0", "Acquire-v0", {"horizonSeconds": 120}),
        ("Liquidate-Limit-v0", "Liquidate-Limit-v0", {"horizonSeconds": 120}),
        ("Liquidate-v0-discrete", "Liquidate-v0", {"horizonSeconds": 120, "actionMode": "discrete"}),
        ("Liquidate-AC-v0", "Liquidate-AC-v0", {}),
        ("Liquidate-Replay-v0", "Liquidate-Replay-v0", replay),
    ]


CASE_NAMES = ["Liquidate-v0", "Acquire-v0", "Liquidate-Limit-v0", "Liquidate-v0-discrete", "Liquidate-AC-v0", "Liquidate-Replay-v0"]


def case(name: str, replay: dict) -> tuple[str, dict]:
    for n, i, o in env_cases(replay):
        if n == name:
            return i, o
    raise KeyError(name)


def ts_reference(cases: list) -> list:
    """Runs python/tests/ts/reference.ts (the TypeScript envs directly, no server) on `cases`."""
    p = subprocess.run(
        [NODE, "--import", "tsx", str(HERE / "ts" / "reference.ts")],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        check=False,
    )
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def process_alive(pid: int) -> bool:
    """True while `pid` runs (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
