"""Export a PyTorch policy that execution-gym evaluates (contract: docs/policy-contract.md).

    python3 examples/pytorch/export_policy.py policy.onnx
    npm run cli -- evaluate --policy policy.onnx,twap --episodes 200
"""
import sys
import torch
from torch import nn

OBS_DIM, A_MAX = 11, 10.0  # Liquidate-v0: 11 raw features in env order; action Box [0, 10] (TWAP-slice multiple)

class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(OBS_DIM, 64), nn.Tanh(), nn.Linear(64, 1))
        nn.init.zeros_(self.net[2].weight)  # untrained: a = 1 everywhere, i.e. TWAP
        nn.init.ones_(self.net[2].bias)

    def forward(self, observation):  # [batch, 11] float32 -> [batch, 1], the deterministic env action
        return self.net(observation).clamp(0.0, A_MAX)

policy = Policy().eval()  # your trained weights: policy.load_state_dict(torch.load("weights.pt"))
torch.onnx.export(policy, torch.zeros(1, OBS_DIM), sys.argv[1] if len(sys.argv) > 1 else "policy.onnx",
                  input_names=["observation"], output_names=["action"], opset_version=13,
                  dynamic_axes={"observation": {0: "batch"}, "action": {0: "batch"}})
