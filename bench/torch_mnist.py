#!/usr/bin/env python3
"""One epoch of a PyTorch MLP on MNIST on the CPU, measured like `grade-bench mnist`.

784-128-10, ReLU, cross-entropy on the logits (the course's softmax cross-entropy), Adam 1e-3,
batch 64, one pass over the 60,000 shuffled training images, float64; prints seconds per epoch
(the training loop only) and test accuracy. Runs only where torch is installed.

    python3 bench/torch_mnist.py [--runs N]
"""
import argparse
import statistics
import time

import torch

from mnist_data import load

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    torch.set_default_dtype(torch.float64)
    x_train, y_train, x_test, y_test = (torch.tensor(a) for a in load())
    y_train, y_test = y_train.long(), y_test.long()
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
