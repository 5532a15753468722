#!/usr/bin/env python3
"""PyTorch's side of `grade-bench cnn`: convolution forward and backward, and one epoch of the same CNN, on the CPU in float64.

Shapes as `grade-bench cnn` times them: a batch of 32 MNIST images (1 x 28 x 28) through 8 filters of 3 x 3
with padding 1, and 32 maps of 8 x 14 x 14 through 16 filters of 3 x 3 with padding 1; forward, and
forward + backward (gradients of sum(g * y) for the input, weights and bias). Then one epoch over
the first 20,000 training images of the network the reference trains (conv 8 -> ReLU -> max pool 2,
conv 16 -> ReLU -> max pool 2, linear 784 -> 10, cross-entropy, Adam 2e-3, batch 32). Prints medians of
`--runs` runs (milliseconds per call, seconds per epoch). Runs only where torch is installed.

    python3 bench/torch_cnn.py [--runs N]
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F

from mnist_data import load

SHAPES = [((32, 1, 28, 28), (8, 1, 3, 3)), ((32, 8, 14, 14), (16, 8, 3, 3))]


def timed(function, repeats):
    start = time.perf_counter()
    for _ in range(repeats):
        function()
    return (time.perf_counter() - start) / repeats


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(1)
    for x_shape, w_shape in SHAPES:
        x = torch.rand(x_shape, requires_grad=True)
        w = torch.randn(w_shape, requires_grad=True)
        b = torch.randn(w_shape[0], requires_grad=True)
        g = torch.randn(F.conv2d(x, w, b, padding=1).shape)

        def forward():
            with torch.no_grad():
                F.conv2d(x, w, b, padding=1)

        def backward():
            x.grad = w.grad = b.grad = None
            (F.conv2d(x, w, b, padding=1) * g).sum().backward()

        forwards = [timed(forward, 50) for _ in range(runs)]
        backwards = [timed(backward, 20) for _ in range(runs)]
        print(f"conv {x_shape} * {w_shape}: forward {1000 * statistics.median(forwards):.3f} ms, "
              f"forward + backward {1000 * statistics.median(backwards):.3f} ms")

    x_train, y_train, _, _ = load()
    x = torch.tensor(x_train[:20000]).reshape(-1, 1, 28, 28)
    y = torch.tensor(y_train[:20000]).long()
    epochs = []
    for run in range(runs):
        torch.manual_seed(run + 1)
        model = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                    torch.nn.Conv2d(8, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                    torch.nn.Flatten(), torch.nn.Linear(784, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
        start = time.perf_counter()
        order = torch.randperm(20000)
        for first in range(0, 20000, 32):
            batch = order[first:first + 32]
            optimizer.zero_grad()
            F.cross_entropy(model(x[batch]), y[batch]).backward()
            optimizer.step()
        epochs.append(time.perf_counter() - start)
    print(f"one epoch over 20,000 images: {statistics.median(epochs):.2f} s (median of {runs})")


if __name__ == "__main__":
    main()
