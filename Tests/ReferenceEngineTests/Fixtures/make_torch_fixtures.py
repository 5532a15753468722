#!/usr/bin/env python3
"""Writes torch_fixtures.json: PyTorch's values for the reference engine's practical-2 tests.

Regenerate with `python3 Tests/ReferenceEngineTests/Fixtures/make_torch_fixtures.py` (needs torch and
numpy). Everything is float64 and seeded, so the file only changes when PyTorch's results do.

Contents:
- networks: weights, a batch, targets; PyTorch's forward activations, loss and autograd gradients for
  softmax cross-entropy (F.cross_entropy on the logits, mean over the batch), half squared error
  (sum / 2m) and binary cross-entropy (sum / m), i.e. the course's definitions;
- optimizers: parameter trajectories of torch.optim on f(θ) = ½ θᵀAθ − bᵀθ: Adam, RMSprop and
  Adagrad (which match the course's formulas), SGD with momentum (the course's momentum at
  lr = η(1 − β)) and SGD with Nesterov momentum (the course's look-ahead points).
"""
import json
import pathlib

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20261123)
fixtures = {"networks": [], "optimizers": []}


def network(sizes, hidden, output, loss_name, rows):
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers.append({"W": rng.standard_normal((n_out, n_in)) * np.sqrt(2 / n_in), "b": rng.standard_normal(n_out) * 0.1})
    x = rng.standard_normal((rows, sizes[0]))
    if loss_name == "softmaxCrossEntropy":
        y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], rows)]
    elif loss_name == "binaryCrossEntropy":
        y = (rng.random((rows, sizes[-1])) < 0.5).astype(float)
    else:
        y = rng.standard_normal((rows, sizes[-1]))
    params = [(torch.tensor(l["W"], requires_grad=True), torch.tensor(l["b"], requires_grad=True)) for l in layers]
    act = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}[hidden]
    a = torch.tensor(x)
    activations = [a.detach().numpy().tolist()]
    for i, (w, b) in enumerate(params):
        z = a @ w.T + b
        last = i == len(params) - 1
        if last:
            a = {"softmax": torch.softmax(z, dim=1), "sigmoid": torch.sigmoid(z), "identity": z}[output]
            logits = z
        else:
            a = act(z)
        activations.append(a.detach().numpy().tolist())
    target = torch.tensor(y)
    if loss_name == "softmaxCrossEntropy":
        loss = torch.nn.functional.cross_entropy(logits, target.argmax(dim=1))
    elif loss_name == "binaryCrossEntropy":
        loss = torch.nn.functional.binary_cross_entropy(a, target, reduction="sum") / rows
    else:
        loss = ((a - target) ** 2).sum() / (2 * rows)
    loss.backward()
    fixtures["networks"].append({
        "hidden": hidden, "output": output, "loss": loss_name,
        "layers": [{"W": l["W"].tolist(), "b": l["b"].tolist()} for l in layers],
        "x": x.tolist(), "y": y.tolist(), "activations": activations, "lossValue": loss.item(),
        "gradients": [{"W": w.grad.numpy().tolist(), "b": b.grad.numpy().tolist()} for w, b in params],
    })


network([4, 5, 3], "tanh", "softmax", "softmaxCrossEntropy", 6)
network([3, 6, 4, 2], "relu", "identity", "mse", 5)
network([5, 4, 3], "sigmoid", "sigmoid", "binaryCrossEntropy", 7)

a_matrix = np.diag([1.0, 4.0, 10.0])
b_vector = np.array([1.0, -2.0, 0.5])
start = np.array([2.0, -1.0, 3.0])


def trajectory(make, steps=30):
    theta = torch.tensor(start.copy(), requires_grad=True)
    optimizer = make([theta])
    path = [theta.detach().numpy().tolist()]
    for _ in range(steps):
        optimizer.zero_grad()
        loss = 0.5 * theta @ torch.tensor(a_matrix) @ theta - torch.tensor(b_vector) @ theta
        loss.backward()
        optimizer.step()
        path.append(theta.detach().numpy().tolist())
    return path


eta, beta = 0.05, 0.9
fixtures["A"] = a_matrix.tolist()
fixtures["b"] = b_vector.tolist()
fixtures["start"] = start.tolist()
for name, course, make in [
    ("adam", {"adam": [0.05, 0.9, 0.999, 1e-8]}, lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.9, 0.999), eps=1e-8)),
    ("rmsprop", {"rmsprop": [0.01, 0.9, 1e-8]}, lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-8)),
    ("adagrad", {"adagrad": [0.5, 1e-10]}, lambda p: torch.optim.Adagrad(p, lr=0.5, eps=1e-10)),
    ("momentum", {"momentum": [eta, beta]}, lambda p: torch.optim.SGD(p, lr=eta * (1 - beta), momentum=beta)),
    ("nesterov", {"nesterov": [eta, beta]}, lambda p: torch.optim.SGD(p, lr=eta * (1 - beta), momentum=beta, nesterov=True)),
]:
    fixtures["optimizers"].append({"name": name, "course": course, "torchPath": trajectory(make)})

out = pathlib.Path(__file__).with_name("torch_fixtures.json")
out.write_text(json.dumps(fixtures) + "\n")
print(f"wrote {out} with torch {torch.__version__}")
