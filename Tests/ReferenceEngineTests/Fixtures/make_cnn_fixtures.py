#!/usr/bin/env python3
"""Writes cnn_fixtures.json: PyTorch's values for the reference engine's convolutional layers (practical 3).

Regenerate with `python3 Tests/ReferenceEngineTests/Fixtures/make_cnn_fixtures.py` (needs torch and
numpy). Everything is float64 and seeded, so the file only changes when PyTorch's results do.

Each case holds an input batch x (N x C x H x W, flattened row-major), the layer's parameters, the output
y of PyTorch's function, and the gradients autograd gives for L = sum(g * y) with a random upstream g
(so dL/dy = g):
- convolution: torch.nn.functional.conv2d with stride and zero padding (cross-correlation);
- max pooling and average pooling: max_pool2d and avg_pool2d without padding; the max-pooling inputs
  are rounded to halves so that windows hold ties (PyTorch's gradient goes to the first maximum in
  row-major order);
- batch normalisation: batch_norm in training mode (batch statistics, biased variance, eps);
- dropout: x * mask / (1 - p) with a fixed mask, as torch.nn.functional.dropout computes it for the mask
  its generator draws;
- networks: a small CNN (conv -> ReLU -> max pool, conv -> ReLU, flatten, dense -> ReLU -> dense -> softmax)
  on images in [0, 1] with labels: the cross-entropy (mean over the batch), autograd's gradients with
  respect to every parameter and to the images, FGSM's images (clamp(x + eps * sign(grad), 0, 1)) and
  PGD's (steps of alpha * sign(grad), each clamped to the eps-ball around x and to [0, 1]);
- gans: a generator (noise -> tanh -> identity) and a discriminator (sample -> ReLU -> one logit) on 2-D
  points: the discriminator loss BCE(D(x), 1) + BCE(D(G(z)), 0) (means), the non-saturating generator loss
  BCE(D(G(z)), 1), autograd's gradients of each with respect to its own network (G(z) detached for the
  discriminator's), and one alternating step with two torch.optim.Adam optimisers (discriminator first,
  then the generator with the updated discriminator and the same noise).
"""
import json
import pathlib

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20261128)
fixtures = {"convolutions": [], "poolings": [], "batchNormalizations": [], "dropouts": [], "networks": [], "gans": []}


def flat(tensor):
    return tensor.detach().numpy().reshape(-1).tolist()


def upstream(y):
    return torch.tensor(rng.standard_normal(tuple(y.shape)))


def convolution(n, c, h, w, f, k, stride, padding):
    x = torch.tensor(rng.standard_normal((n, c, h, w)), requires_grad=True)
    weight = torch.tensor(rng.standard_normal((f, c, k, k)) * 0.5, requires_grad=True)
    bias = torch.tensor(rng.standard_normal(f), requires_grad=True)
    y = F.conv2d(x, weight, bias, stride=stride, padding=padding)
    g = upstream(y)
    (g * y).sum().backward()
    fixtures["convolutions"].append({
        "shape": [n, c, h, w], "weightsShape": [f, c, k, k], "stride": stride, "padding": padding,
        "x": flat(x), "weights": flat(weight), "bias": flat(bias), "outputShape": list(y.shape), "y": flat(y), "g": flat(g),
        "inputGradient": flat(x.grad), "weightsGradient": flat(weight.grad), "biasGradient": flat(bias.grad),
    })


def pooling(kind, n, c, h, w, window, stride):
    values = rng.standard_normal((n, c, h, w))
    if kind == "max":
        values = np.round(values * 2) / 2
    x = torch.tensor(values, requires_grad=True)
    pool = F.max_pool2d if kind == "max" else F.avg_pool2d
    y = pool(x, kernel_size=window, stride=stride)
    g = upstream(y)
    (g * y).sum().backward()
    fixtures["poolings"].append({
        "kind": kind, "shape": [n, c, h, w], "window": window, "stride": stride,
        "x": flat(x), "outputShape": list(y.shape), "y": flat(y), "g": flat(g), "inputGradient": flat(x.grad),
    })


def batch_normalization(n, c, h, w, eps):
    x = torch.tensor(rng.standard_normal((n, c, h, w)) * 3 + 1, requires_grad=True)
    gamma = torch.tensor(rng.standard_normal(c), requires_grad=True)
    beta = torch.tensor(rng.standard_normal(c), requires_grad=True)
    y = F.batch_norm(x, None, None, weight=gamma, bias=beta, training=True, eps=eps)
    g = upstream(y)
    (g * y).sum().backward()
    fixtures["batchNormalizations"].append({
        "shape": [n, c, h, w], "epsilon": eps, "x": flat(x), "gamma": flat(gamma), "beta": flat(beta),
        "y": flat(y), "g": flat(g), "inputGradient": flat(x.grad), "gammaGradient": flat(gamma.grad), "betaGradient": flat(beta.grad),
    })


def dropout(n, c, h, w, p):
    x = torch.tensor(rng.standard_normal((n, c, h, w)), requires_grad=True)
    mask = torch.tensor((rng.random((n, c, h, w)) >= p).astype(float))
    y = x * mask / (1 - p)
    g = upstream(y)
    (g * y).sum().backward()
    fixtures["dropouts"].append({
        "shape": [n, c, h, w], "probability": p, "x": flat(x), "mask": flat(mask), "y": flat(y), "g": flat(g),
        "inputGradient": flat(x.grad),
    })


def network(n, c, h, w, classes, eps, alpha, steps):
    x0 = torch.tensor(rng.random((n, c, h, w)))
    labels = torch.tensor(rng.integers(0, classes, n))
    conv1 = (torch.tensor(rng.standard_normal((4, c, 3, 3)) * 0.5, requires_grad=True), torch.tensor(rng.standard_normal(4) * 0.1, requires_grad=True))
    conv2 = (torch.tensor(rng.standard_normal((3, 4, 3, 3)) * 0.3, requires_grad=True), torch.tensor(rng.standard_normal(3) * 0.1, requires_grad=True))
    flat_size = 3 * ((h // 2) - 2) * ((w // 2) - 2)
    dense1 = (torch.tensor(rng.standard_normal((6, flat_size)) * 0.3, requires_grad=True), torch.tensor(rng.standard_normal(6) * 0.1, requires_grad=True))
    dense2 = (torch.tensor(rng.standard_normal((classes, 6)) * 0.5, requires_grad=True), torch.tensor(rng.standard_normal(classes) * 0.1, requires_grad=True))
    params = [conv1, conv2, dense1, dense2]

    def logits(x):
        a = F.max_pool2d(torch.relu(F.conv2d(x, conv1[0], conv1[1], padding=1)), 2)
        a = torch.relu(F.conv2d(a, conv2[0], conv2[1]))
        a = torch.relu(a.reshape(n, -1) @ dense1[0].T + dense1[1])
        return a @ dense2[0].T + dense2[1]

    x = x0.clone().requires_grad_(True)
    loss = F.cross_entropy(logits(x), labels)
    loss.backward()
    grads = [(w.grad.clone(), b.grad.clone()) for w, b in params]
    input_grad = x.grad.clone()
    fgsm = torch.clamp(x0 + eps * torch.sign(input_grad), 0, 1)
    adv = x0.clone()
    for _ in range(steps):
        adv = adv.detach().requires_grad_(True)
        F.cross_entropy(logits(adv), labels).backward()
        adv = adv + alpha * torch.sign(adv.grad)
        adv = torch.clamp(torch.min(torch.max(adv, x0 - eps), x0 + eps), 0, 1)
    fixtures["networks"].append({
        "shape": [n, c, h, w], "classes": classes, "labels": labels.tolist(), "x": flat(x0),
        "convolutions": [{"shape": list(w.shape), "weights": flat(w), "bias": flat(b)} for w, b in params[:2]],
        "dense": [{"W": w.detach().numpy().tolist(), "b": flat(b)} for w, b in params[2:]],
        "loss": loss.item(),
        "convolutionGradients": [{"weights": flat(gw), "bias": flat(gb)} for gw, gb in grads[:2]],
        "denseGradients": [{"W": gw.numpy().tolist(), "b": flat(gb)} for gw, gb in grads[2:]],
        "inputGradient": flat(input_grad), "epsilon": eps, "stepSize": alpha, "steps": steps,
        "fgsm": flat(fgsm), "pgd": flat(adv),
    })


def gan(m, noise_size, hidden, lr):
    real = torch.tensor(rng.standard_normal((m, 2)) * 0.5 + np.array([1.0, -0.5]))
    z = torch.tensor(rng.standard_normal((m, noise_size)))

    def layer(n_out, n_in, scale):
        return (torch.tensor(rng.standard_normal((n_out, n_in)) * scale, requires_grad=True),
                torch.tensor(rng.standard_normal(n_out) * 0.1, requires_grad=True))

    generator = [layer(hidden, noise_size, 0.7), layer(2, hidden, 0.5)]
    discriminator = [layer(hidden, 2, 0.7), layer(1, hidden, 0.5)]
    layers_before = [[{"W": w.detach().numpy().tolist(), "b": flat(b)} for w, b in net] for net in (generator, discriminator)]

    def generate(noise):
        return torch.tanh(noise @ generator[0][0].T + generator[0][1]) @ generator[1][0].T + generator[1][1]

    def logit(x):
        return torch.relu(x @ discriminator[0][0].T + discriminator[0][1]) @ discriminator[1][0].T + discriminator[1][1]

    bce = F.binary_cross_entropy_with_logits

    def d_loss():
        fake = generate(z).detach()
        return bce(logit(real), torch.ones(m, 1)) + bce(logit(fake), torch.zeros(m, 1))

    def g_loss():
        return bce(logit(generate(z)), torch.ones(m, 1))

    params = lambda net: [p for pair in net for p in pair]
    ld = d_loss()
    d_grads = torch.autograd.grad(ld, params(discriminator))
    lg = g_loss()
    g_grads = torch.autograd.grad(lg, params(generator))
    opt_d = torch.optim.Adam(params(discriminator), lr=lr, betas=(0.9, 0.999), eps=1e-8)
    opt_g = torch.optim.Adam(params(generator), lr=lr, betas=(0.9, 0.999), eps=1e-8)
    opt_d.zero_grad()
    d_loss().backward()
    opt_d.step()
    opt_g.zero_grad()
    g_loss().backward()
    opt_g.step()

    def pairs(grads):
        return [{"W": grads[i].numpy().tolist(), "b": flat(grads[i + 1])} for i in range(0, len(grads), 2)]

    fixtures["gans"].append({
        "real": real.numpy().tolist(), "noise": z.numpy().tolist(), "learningRate": lr,
        "generator": layers_before[0], "discriminator": layers_before[1],
        "discriminatorLoss": ld.item(), "generatorLoss": lg.item(),
        "generatorGradient": pairs(g_grads), "discriminatorGradient": pairs(d_grads),
        "generatorAfterStep": [{"W": w.detach().numpy().tolist(), "b": flat(b)} for w, b in generator],
        "discriminatorAfterStep": [{"W": w.detach().numpy().tolist(), "b": flat(b)} for w, b in discriminator],
    })


convolution(2, 3, 7, 7, 4, 3, 1, 1)
convolution(1, 2, 8, 6, 3, 3, 2, 0)
convolution(2, 1, 5, 5, 2, 2, 2, 1)
convolution(1, 2, 9, 9, 2, 5, 3, 2)
convolution(3, 1, 4, 4, 1, 1, 1, 0)
pooling("max", 2, 2, 6, 6, 2, 2)
pooling("max", 1, 3, 7, 5, 3, 2)
pooling("max", 1, 1, 5, 5, 2, 1)
pooling("average", 2, 2, 6, 6, 2, 2)
pooling("average", 1, 3, 7, 5, 3, 2)
batch_normalization(4, 3, 3, 3, 1e-5)
batch_normalization(2, 2, 4, 5, 1e-3)
dropout(2, 3, 4, 4, 0.5)
dropout(1, 2, 5, 5, 0.2)
network(3, 1, 10, 10, 4, 0.1, 0.03, 5)
network(2, 2, 8, 12, 3, 0.2, 0.05, 7)
gan(16, 2, 8, 0.01)
gan(7, 3, 5, 0.05)

path = pathlib.Path(__file__).with_name("cnn_fixtures.json")
path.write_text(json.dumps(fixtures, indent=None, separators=(",", ":")) + "\n")
print(f"wrote {path}")
