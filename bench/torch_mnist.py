#!/usr/bin/env python3
"""One epoch of a PyTorch MLP on MNIST on the CPU, measured like `grade-bench mnist`.

784-128-10, ReLU, cross-entropy on the logits (the course's softmax cross-entropy), Adam 1e-3,
batch 64, one pass over the 60,000 shuffled training images, float64; prints seconds per epoch
(the training loop only) and test accuracy. Runs only where torch is installed.

    python3 bench/torch_mnist.py [--runs N]
"""
import argparse
import gzip
import pathlib
import statistics
import time

import numpy as np
import torch

MNIST = pathlib.Path(__file__).resolve().parent.parent / "Assignments" / "data" / "mnist"


def idx(name):
    data = gzip.open(MNIST / name).read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    torch.set_default_dtype(torch.float64)
    x_train = torch.tensor(idx("train-images-idx3-ubyte.gz").reshape(60000, 784) / 255.0)
    y_train = torch.tensor(idx("train-labels-idx1-ubyte.gz").astype(np.int64))
    x_test = torch.tensor(idx("t10k-images-idx3-ubyte.gz").reshape(10000, 784) / 255.0)
    y_test = torch.tensor(idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))
    times, accuracies = [], []
    for run in range(runs):
        torch.manual_seed(run + 1)
        model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_function = torch.nn.CrossEntropyLoss()
        start = time.perf_counter()
        order = torch.randperm(60000)
        for first in range(0, 60000, 64):
            batch = order[first:first + 64]
            optimizer.zero_grad()
            loss_function(model(x_train[batch]), y_train[batch]).backward()
            optimizer.step()
        times.append(time.perf_counter() - start)
        with torch.no_grad():
            accuracies.append((model(x_test).argmax(dim=1) == y_test).double().mean().item())
        print(f"  run {run + 1}: {times[-1]:.3f} s per epoch, test accuracy {100 * accuracies[-1]:.2f}%")
    print(f"median: {statistics.median(times):.3f} s per epoch, test accuracy {100 * statistics.median(accuracies):.2f}%")


if __name__ == "__main__":
    main()
