"""``python3 -m execution_gym.bench [--json]``: env steps per second from Python beside the
TypeScript figures, measured in the same server process, in interleaved rounds (medians).

Single env (``Liquidate-v0`` defaults, TWAP action, a seeded reset at each episode end, as
``execution-gym bench env``): TypeScript in the server itself vs Python over the bridge (infos
'final' and 'all'); the per-step overhead is 1/python − 1/typescript, in microseconds.
CPU time per step (this process plus the server's, from /proc) is reported beside the wall-clock
figures: on a shared machine it is the steadier measure of what the bridge costs.
Vector env (64 envs): the TypeScript ``SyncVectorEnv`` in the server vs Python's ``make_vec``
stepping the same envs in one round trip, in the server's thread (workers=0) and on 2 worker
threads. Goals (issue #15): ≥ 5,000 single-env steps/s from Python; the 64-env vector env ≥ 70% of
the TypeScript sync vector env.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import time
from typing import Any

import numpy as np

from . import _protocol as P
from ._server import Server
from .env import ExecutionEnv
from .vector import ExecutionVectorEnv


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ts(server: Server, req: dict) -> dict:
    _, _, _, body = server.call_json(P.BENCH, req, what="benchmarking")
    return json.loads(body)


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _server_cpu(pid: int) -> float:
    """CPU seconds of the server process (all its threads), from /proc; NaN where unreadable."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, IndexError, ValueError):
        return float("nan")


class _Timer:
    """Wall time, and CPU time of this process plus the server's (robust on a shared machine)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.t0, self.c0, self.s0 = time.perf_counter(), time.process_time(), _server_cpu(pid)

    def done(self, steps: int) -> tuple[float, float]:
        wall = time.perf_counter() - self.t0
        cpu = time.process_time() - self.c0 + _server_cpu(self.pid) - self.s0
        return steps / wall, steps / cpu if cpu > 0 else float("nan")


def _py_single(env: ExecutionEnv, steps: int, seed: int) -> tuple[float, float]:
    a = np.array([1.0])
    env.reset(seed=seed)
    seed += 1
    t = _Timer(env.server.pid)
    for _ in range(steps):
        if env.step(a)[2]:
            env.reset(seed=seed)
            seed += 1
    return t.done(steps)


def _py_vector(vec: ExecutionVectorEnv, batch_steps: int) -> tuple[float, float]:
    a = np.ones((vec.num_envs, 1))
    t = _Timer(vec.server.pid)
    for _ in range(batch_steps):
        vec.step(a)
    return t.done(batch_steps * vec.num_envs)


def run(env_id: str = "Liquidate-v0", steps: int = 10000, num_envs: int = 64, batch_steps: int = 150, rounds: int = 3, workers: int = 2) -> dict[str, Any]:
    load0 = os.getloadavg()
    with Server() as srv:
        final = ExecutionEnv(env_id, server=srv, infos="final")
        full = ExecutionEnv(env_id, server=srv, infos="all")
        vsync = ExecutionVectorEnv(env_id, num_envs, server=srv, workers=0)
        vwork = ExecutionVectorEnv(env_id, num_envs, server=srv, workers=workers)
        vsync.reset(seed=1)
        vwork.reset(seed=1)
        # Warm-up (JIT on both sides).
        _ts(srv, {"what": "env", "id": env_id, "steps": steps // 4, "warmupSteps": 500})
        _py_single(final, steps // 4, 10_000)
        _py_single(full, steps // 8, 20_000)
        _ts(srv, {"what": "sync-vector", "id": env_id, "numEnvs": num_envs, "batchSteps": batch_steps // 4, "warmupBatchSteps": 5})
        _py_vector(vsync, batch_steps // 4)
        _py_vector(vwork, batch_steps // 4)
        per: list[dict[str, float]] = []
        for r in range(rounds):
            ts = _ts(srv, {"what": "env", "id": env_id, "steps": steps, "warmupSteps": 0, "seed": 1 + 1000 * r})
            fin, fin_cpu = _py_single(final, steps, 1 + 1000 * r)
            alls, alls_cpu = _py_single(full, steps, 1 + 1000 * r)
            tsv = _ts(srv, {"what": "sync-vector", "id": env_id, "numEnvs": num_envs, "batchSteps": batch_steps, "warmupBatchSteps": 0, "seed": 1 + r})
            vs, vs_cpu = _py_vector(vsync, batch_steps)
            vw, vw_cpu = _py_vector(vwork, batch_steps)
            per.append(
                {
                    "tsSingle": ts["stepsPerSecond"],
                    "tsSingleCpu": ts["stepsPerCpuSecond"],
                    "pySingleFinal": fin,
                    "pySingleFinalCpu": fin_cpu,
                    "pySingleAll": alls,
                    "pySingleAllCpu": alls_cpu,
                    "tsSyncVector": tsv["stepsPerSecond"],
                    "pyVectorSync": vs,
                    "pyVectorSyncCpu": vs_cpu,
                    "pyVectorWorkers": vw,
                    "pyVectorWorkersCpu": vw_cpu,
                }
            )
        for e in (final, full, vsync, vwork):
            e.close()
        node = srv.info.get("node")
    med = {k: statistics.median(p[k] for p in per) for k in per[0]}
    load1 = os.getloadavg()
    return {
        "env": env_id,
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpu": _cpu_model(), "cpus": os.cpu_count(), "loadAverageBefore": load0[0], "loadAverageAfter": load1[0]},
        "node": node,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "rounds": rounds,
        "single": {
            "steps": steps,
            "typescriptStepsPerSecond": med["tsSingle"],
            "pythonStepsPerSecondInfosFinal": med["pySingleFinal"],
            "pythonStepsPerSecondInfosAll": med["pySingleAll"],
            "overheadMicrosecondsInfosFinal": 1e6 / med["pySingleFinal"] - 1e6 / med["tsSingle"],
            "overheadMicrosecondsInfosAll": 1e6 / med["pySingleAll"] - 1e6 / med["tsSingle"],
            "typescriptCpuMicrosecondsPerStep": 1e6 / med["tsSingleCpu"],
            "pythonCpuMicrosecondsPerStepInfosFinal": 1e6 / med["pySingleFinalCpu"],
            "pythonCpuMicrosecondsPerStepInfosAll": 1e6 / med["pySingleAllCpu"],
            "overheadCpuMicrosecondsInfosFinal": 1e6 / med["pySingleFinalCpu"] - 1e6 / med["tsSingleCpu"],
            "overheadCpuMicrosecondsInfosAll": 1e6 / med["pySingleAllCpu"] - 1e6 / med["tsSingleCpu"],
            "goal": 5000,
            "goalMet": med["pySingleFinal"] >= 5000,  # with the default infos ('final')
        },
        "vector": {
            "numEnvs": num_envs,
            "batchSteps": batch_steps,
            "workers": workers,
            "typescriptSyncStepsPerSecond": med["tsSyncVector"],
            "pythonStepsPerSecondServerThread": med["pyVectorSync"],
            "pythonStepsPerSecondWorkers": med["pyVectorWorkers"],
            "ratioServerThread": med["pyVectorSync"] / med["tsSyncVector"],
            "ratioWorkers": med["pyVectorWorkers"] / med["tsSyncVector"],
            "pythonCpuMicrosecondsPerEnvStepServerThread": 1e6 / med["pyVectorSyncCpu"],
            "pythonCpuMicrosecondsPerEnvStepWorkers": 1e6 / med["pyVectorWorkersCpu"],
            "goalRatio": 0.7,
            "goalMet": med["pyVectorSync"] / med["tsSyncVector"] >= 0.7,
        },
        "perRound": per,
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python3 -m execution_gym.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--env", default="Liquidate-v0")
    p.add_argument("--steps", type=int, default=10000, help="timed single-env steps per round")
    p.add_argument("--num-envs", type=int, default=64)
    p.add_argument("--batch-steps", type=int, default=150, help="timed vector steps per round")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--workers", type=int, default=2, help="worker threads of the second vector configuration")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    a = p.parse_args(argv)
    r = run(a.env, a.steps, a.num_envs, a.batch_steps, a.rounds, a.workers)
    if a.json:
        print(json.dumps(r))
        return
    s, v = r["single"], r["vector"]
    print(f"execution_gym.bench: {r['env']} defaults, TWAP, Node {r['node']}, Python {r['python']}, {r['machine']['cpus']} CPUs ({r['machine']['cpu']}), load {r['machine']['loadAverageBefore']:.2f} → {r['machine']['loadAverageAfter']:.2f}; medians of {r['rounds']} rounds")
    print(f"  single env   TypeScript {s['typescriptStepsPerSecond']:,.0f} steps/s; Python {s['pythonStepsPerSecondInfosFinal']:,.0f} (infos 'final'), {s['pythonStepsPerSecondInfosAll']:,.0f} (infos 'all')")
    print(f"               overhead per step {s['overheadMicrosecondsInfosFinal']:.1f} µs ('final'), {s['overheadMicrosecondsInfosAll']:.1f} µs ('all'); goal ≥ 5,000 steps/s: {'met' if s['goalMet'] else 'NOT met'}")
    print(f"               CPU per step (both processes): TypeScript {s['typescriptCpuMicrosecondsPerStep']:.1f} µs; Python {s['pythonCpuMicrosecondsPerStepInfosFinal']:.1f} µs ('final'), {s['pythonCpuMicrosecondsPerStepInfosAll']:.1f} µs ('all')")
    print(f"  vector {v['numEnvs']}    TypeScript sync {v['typescriptSyncStepsPerSecond']:,.0f} steps/s; Python {v['pythonStepsPerSecondServerThread']:,.0f} (server thread, {v['ratioServerThread']:.0%}), {v['pythonStepsPerSecondWorkers']:,.0f} ({v['workers']} workers, {v['ratioWorkers']:.0%}); goal ≥ 70%: {'met' if v['goalMet'] else 'NOT met'}")


if __name__ == "__main__":
    main()
