"""PPO (continuous actions) in PyTorch, CleanRL style, on execution-gym's Liquidate-v0.

One file that reads top to bottom like the algorithm: a vector env from the TypeScript market
(``execution_gym.make_vec``: all envs step in one round trip), a Gaussian actor and a critic,
rollouts with Gymnasium's next-step autoreset, GAE, the clipped objective; then the trained
policy is benchmarked against the baselines on the command line's held-out seeds
(``execution_gym.evaluate``).

    PYTHONPATH=python python3 examples/python/ppo_cleanrl.py --total-timesteps 200000
    PYTHONPATH=python python3 examples/python/ppo_cleanrl.py --env-id Liquidate-AC-v0 --total-timesteps 50000

Needs numpy and torch (Debian: apt-get install python3-torch). Ran here (CI runs a short
training: tests/test_examples.py).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
from torch.distributions.normal import Normal

import execution_gym


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--env-id", default="Liquidate-v0", help="execution-gym env id")
    p.add_argument("--env-options", default="{}", help="env options as JSON, e.g. '{\"horizonSeconds\": 300}'")
    p.add_argument("--seed", type=int, default=1, help="seed of torch, numpy and the envs' first reset")
    p.add_argument("--total-timesteps", type=int, default=200_000, help="env steps to train for")
    p.add_argument("--num-envs", type=int, default=16, help="envs in the vector env (one round trip per step)")
    p.add_argument("--workers", type=int, default=0, help="worker threads of the TypeScript vector env (0: the server's thread)")
    p.add_argument("--num-steps", type=int, default=128, help="steps per env per rollout")
    p.add_argument("--learning-rate", type=float, default=3e-4, help="Adam step size (annealed linearly to 0)")
    p.add_argument("--gamma", type=float, default=1.0, help="discount (1: the episode's rewards sum to -IS)")
    p.add_argument("--gae-lambda", type=float, default=0.95, help="λ of generalized advantage estimation")
    p.add_argument("--num-minibatches", type=int, default=8, help="minibatches per epoch")
    p.add_argument("--update-epochs", type=int, default=10, help="epochs over each rollout")
    p.add_argument("--clip-coef", type=float, default=0.2, help="PPO's ratio clip")
    p.add_argument("--ent-coef", type=float, default=0.0, help="entropy bonus")
    p.add_argument("--vf-coef", type=float, default=0.5, help="value loss weight")
    p.add_argument("--max-grad-norm", type=float, default=0.5, help="gradient clipping")
    p.add_argument("--eval-episodes", type=int, default=200, help="held-out episodes of the final evaluation (0: none)")
    p.add_argument("--baselines", default="twap,passive-twap", help="baselines of the final evaluation")
    p.add_argument("--save", default="", help="save the actor's weights here (torch.save)")
    return p.parse_args()


def layer(i: int, o: int, std: float = np.sqrt(2), bias: float = 0.0) -> nn.Linear:
    lin = nn.Linear(i, o)
    nn.init.orthogonal_(lin.weight, std)
    nn.init.constant_(lin.bias, bias)
    return lin


class Agent(nn.Module):
    """Actor N(μ(s), σ) in a normalized action space u, mapped to the env's Box by
    a = center + half_width · u (clipped into the bounds); critic V(s)."""

    def __init__(self, obs_dim: int, act_dim: int, low: np.ndarray, high: np.ndarray, start: np.ndarray):
        super().__init__()
        self.critic = nn.Sequential(layer(obs_dim, 64), nn.Tanh(), layer(64, 64), nn.Tanh(), layer(64, 1, std=1.0))
        self.center = torch.tensor((low + high) / 2, dtype=torch.float32)
        self.half = torch.tensor((high - low) / 2, dtype=torch.float32)
        # Start the mean at `start` (TWAP: one slice a decision), a sensible first guess.
        bias = (torch.tensor(start, dtype=torch.float32) - self.center) / self.half
        last = layer(64, act_dim, std=0.01)
        with torch.no_grad():
            last.bias.copy_(bias)
        self.actor_mean = nn.Sequential(layer(obs_dim, 64), nn.Tanh(), layer(64, 64), nn.Tanh(), last)
        self.actor_logstd = nn.Parameter(torch.full((1, act_dim), -1.5))
        self.low = torch.tensor(low, dtype=torch.float32)
        self.high = torch.tensor(high, dtype=torch.float32)

    def value(self, x: torch.Tensor) -> torch.Tensor:
        return self.critic(x)

    def to_env(self, u: torch.Tensor) -> torch.Tensor:
        return torch.clamp(self.center + self.half * u, self.low, self.high)

    def act(self, x: torch.Tensor, u: torch.Tensor | None = None):
        mean = self.actor_mean(x)
        dist = Normal(mean, self.actor_logstd.expand_as(mean).exp())
        if u is None:
            u = dist.sample()
        return u, dist.log_prob(u).sum(1), dist.entropy().sum(1), self.critic(x)


def main() -> None:
    args = parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    np.random.seed(args.seed)
    options = json.loads(args.env_options)
    batch_size = args.num_envs * args.num_steps
    minibatch = batch_size // args.num_minibatches
    iterations = max(1, args.total_timesteps // batch_size)

    # --- env: one TypeScript server, all envs stepped in one round trip ---------------------
    envs = execution_gym.make_vec(args.env_id, args.num_envs, workers=args.workers, **options)
    space = envs.single_action_space
    assert space.shape is not None and len(space.shape) == 1, "this PPO is for Box action spaces (market or limit mode)"
    obs_dim, act_dim = envs.single_observation_space.shape[0], space.shape[0]
    start = np.clip(np.where(np.arange(act_dim) == 0, 1.0, 0.0), space.low, space.high)
    agent = Agent(obs_dim, act_dim, space.low, space.high, start)
    optimizer = torch.optim.Adam(agent.parameters(), lr=args.learning_rate, eps=1e-5)

    obs = torch.zeros((args.num_steps, args.num_envs, obs_dim))
    us = torch.zeros((args.num_steps, args.num_envs, act_dim))
    logprobs = torch.zeros((args.num_steps, args.num_envs))
    rewards = torch.zeros((args.num_steps, args.num_envs))
    dones = torch.zeros((args.num_steps, args.num_envs))
    valid = torch.zeros((args.num_steps, args.num_envs))
    values = torch.zeros((args.num_steps, args.num_envs))

    next_obs = torch.tensor(envs.reset(seed=args.seed)[0], dtype=torch.float32)
    autoreset = np.zeros(args.num_envs, dtype=bool)  # envs whose next step is a reset (next-step autoreset)
    global_step, t0, returns = 0, time.time(), []

    for iteration in range(1, iterations + 1):
        for g in optimizer.param_groups:
            g["lr"] = (1.0 - (iteration - 1.0) / iterations) * args.learning_rate

        # --- collect ---------------------------------------------------------------------------
        for step in range(args.num_steps):
            global_step += args.num_envs
            obs[step] = next_obs
            valid[step] = torch.tensor(~autoreset, dtype=torch.float32)  # an autoreset step's transition is not the agent's
            with torch.no_grad():
                u, logprob, _, value = agent.act(next_obs)
            us[step], logprobs[step], values[step] = u, logprob, value.flatten()
            o, r, term, trunc, infos = envs.step(agent.to_env(u).numpy().astype(np.float64))
            rewards[step] = torch.tensor(r, dtype=torch.float32)
            ended = term | trunc
            dones[step] = torch.tensor(ended, dtype=torch.float32)
            autoreset = ended
            next_obs = torch.tensor(o, dtype=torch.float32)
            if "isBps" in infos:  # final infos: the episode's implementation shortfall
                returns += [-x for x, m in zip(infos["isBps"], infos["_isBps"]) if m]

        # --- advantages (GAE; no bootstrap across an episode end) ------------------------------
        with torch.no_grad():
            next_value = agent.value(next_obs).flatten()
            adv = torch.zeros_like(rewards)
            last = torch.zeros(args.num_envs)
            for t in reversed(range(args.num_steps)):
                nv = next_value if t == args.num_steps - 1 else values[t + 1]
                nonterminal = 1.0 - dones[t]
                delta = rewards[t] + args.gamma * nv * nonterminal - values[t]
                last = delta + args.gamma * args.gae_lambda * nonterminal * last
                adv[t] = last
            ret = adv + values

        # --- train -------------------------------------------------------------------------------
        keep = valid.reshape(-1).bool()
        b_obs, b_u, b_logp = obs.reshape(-1, obs_dim)[keep], us.reshape(-1, act_dim)[keep], logprobs.reshape(-1)[keep]
        b_adv, b_ret, b_val = adv.reshape(-1)[keep], ret.reshape(-1)[keep], values.reshape(-1)[keep]
        n = len(b_obs)
        for _ in range(args.update_epochs):
            perm = torch.randperm(n)
            for s in range(0, n, minibatch):
                mb = perm[s : s + minibatch]
                _, newlogp, entropy, newv = agent.act(b_obs[mb], b_u[mb])
                ratio = (newlogp - b_logp[mb]).exp()
                a = b_adv[mb]
                a = (a - a.mean()) / (a.std() + 1e-8)
                pg_loss = torch.max(-a * ratio, -a * torch.clamp(ratio, 1 - args.clip_coef, 1 + args.clip_coef)).mean()
                v_loss = 0.5 * ((newv.flatten() - b_ret[mb]) ** 2).mean()
                loss = pg_loss - args.ent_coef * entropy.mean() + args.vf_coef * v_loss
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(agent.parameters(), args.max_grad_norm)
                optimizer.step()

        recent = returns[-200:]
        mean_return = f"{np.mean(recent):8.2f}" if recent else "     n/a"
        print(f"iteration {iteration:4d}/{iterations}  steps {global_step:8d}  episodes {len(returns):6d}  mean -IS (bps, last 200) {mean_return}  SPS {global_step / (time.time() - t0):7.0f}", flush=True)
    envs.close()

    if args.save:
        torch.save(agent.state_dict(), args.save)

    # --- benchmark against the baselines on the held-out seeds ---------------------------------
    if args.eval_episodes > 0:

        def policy(batch: np.ndarray) -> np.ndarray:
            with torch.no_grad():
                return agent.to_env(agent.actor_mean(torch.tensor(batch, dtype=torch.float32))).numpy().astype(np.float64)

        policy.batched = True  # type: ignore[attr-defined]
        baselines = [b for b in args.baselines.split(",") if b]
        result = execution_gym.evaluate(policy, args.env_id, args.eval_episodes, baselines, env_options=options, name="ppo-torch")
        print(result)


if __name__ == "__main__":
    main()
