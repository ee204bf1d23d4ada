"""RLlib PPO on execution-gym's Liquidate-v0, on one machine or a Ray cluster.

    EXECUTION_GYM_ROOT=$PWD PYTHONPATH=python python3 examples/python/rllib_ppo.py --env-runners 4
    python3 examples/python/rllib_ppo.py --address auto --env-runners 64      # on a Ray cluster

How it scales out: RLlib builds the env inside every env runner (rollout worker) process, so every
runner calls ``execution_gym.make`` and starts its own TypeScript server as its child process; the
simulation runs next to the runner that steps it, on whichever node Ray placed it, and a cluster of
N nodes steps N × cores envs in parallel. Each node needs Node.js >= 20, a checkout of this
repository with ``npm ci`` run in it, and numpy; tell the workers where the checkout is with
``EXECUTION_GYM_ROOT`` (passed below through the job's runtime_env) and put ``python/`` on their
PYTHONPATH (or ``pip install ./python`` on each node). The servers die with their runner processes
(they exit when their stdin closes).

Written for Ray 2.x's RLlib (``PPOConfig().env_runners``, the old API stack for
``compute_single_action``). NOT run here: PyPI (hence ray) is not reachable on the machine this
project is developed on.
"""

from __future__ import annotations

import argparse
import os

import numpy as np
import ray
from ray.rllib.algorithms.ppo import PPOConfig
from ray.tune.registry import register_env

import execution_gym


def env_creator(config: dict):
    # Runs in each env runner process: its own TypeScript server, found through EXECUTION_GYM_ROOT.
    return execution_gym.make(config.get("id", "Liquidate-v0"), infos="final", **config.get("options", {}))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--address", default=None, help="Ray cluster address ('auto' inside a cluster); default: a local Ray")
    p.add_argument("--env-id", default="Liquidate-v0")
    p.add_argument("--env-runners", type=int, default=2)
    p.add_argument("--iterations", type=int, default=50)
    p.add_argument("--eval-episodes", type=int, default=1000)
    args = p.parse_args()

    root = os.environ.get("EXECUTION_GYM_ROOT") or str(execution_gym.find_root() or "")
    python_dir = os.path.join(root, "python")
    ray.init(address=args.address, runtime_env={"env_vars": {"EXECUTION_GYM_ROOT": root, "PYTHONPATH": python_dir}})
    register_env("execution_gym", env_creator)

    config = (
        PPOConfig()
        .api_stack(enable_rl_module_and_learner=False, enable_env_runner_and_connector_v2=False)
        .environment("execution_gym", env_config={"id": args.env_id, "options": {}})
        .env_runners(num_env_runners=args.env_runners, num_envs_per_env_runner=1)
        .training(gamma=1.0, train_batch_size=4000)
    )
    algo = config.build()
    for i in range(args.iterations):
        r = algo.train()
        print(i, r.get("env_runners", r).get("episode_reward_mean"))

    def policy(obs: np.ndarray):
        return algo.compute_single_action(obs, explore=False)

    result = execution_gym.evaluate(policy, args.env_id, args.eval_episodes, ["twap", "passive-twap", "vwap", "ac"], name="rllib-ppo")
    print(result)
    algo.stop()
    ray.shutdown()


if __name__ == "__main__":
    main()
