"""Stable-Baselines3 PPO on execution-gym's Liquidate-v0, then a benchmark against the baselines.

    PYTHONPATH=python python3 examples/python/sb3_ppo.py --total-timesteps 200000

Needs gymnasium and stable-baselines3 (pip install stable-baselines3): with gymnasium installed,
``execution_gym.make`` returns a ``gymnasium.Env`` with ``gymnasium.spaces.Box`` spaces, which is
what SB3 takes. NOT run here: PyPI (hence gymnasium and SB3) is not reachable on the machine this
project is developed on; the package's API that it uses (make, evaluate with a model's
``predict``) is covered by the tests.
"""

from __future__ import annotations

import argparse

from stable_baselines3 import PPO
from stable_baselines3.common.env_util import make_vec_env

import execution_gym


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--env-id", default="Liquidate-v0")
    p.add_argument("--total-timesteps", type=int, default=200_000)
    p.add_argument("--n-envs", type=int, default=8)
    p.add_argument("--eval-episodes", type=int, default=1000)
    args = p.parse_args()

    # One TypeScript server for all the envs of SB3's DummyVecEnv (it steps them one by one anyway).
    server = execution_gym.Server()
    env = make_vec_env(lambda: execution_gym.make(args.env_id, server=server, infos="final"), n_envs=args.n_envs)
    model = PPO("MlpPolicy", env, n_steps=256, batch_size=256, gamma=1.0, verbose=1, seed=1)
    model.learn(total_timesteps=args.total_timesteps)
    env.close()

    # evaluate() calls model.predict(obs_batch, deterministic=True) on the held-out seeds.
    result = execution_gym.evaluate(model, args.env_id, args.eval_episodes, ["twap", "passive-twap", "vwap", "ac"], name="sb3-ppo", server=server)
    print(result)
    server.close()


if __name__ == "__main__":
    main()
