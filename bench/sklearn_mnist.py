#!/usr/bin/env python3
"""One epoch of scikit-learn's MLPClassifier on MNIST, measured like `grade-bench mnist`.

784-128-10, ReLU, softmax cross-entropy (log-loss), Adam 1e-3, batch 64, one pass over the 60,000
training images in float64, no L2 penalty; prints seconds per epoch (fit time only) and test accuracy.
Runs only where scikit-learn is installed (pip install scikit-learn).

    python3 bench/sklearn_mnist.py [--runs N]
"""
import argparse
import statistics
import time
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from mnist_data import load

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    x_train, y_train, x_test, y_test = load()
    warnings.simplefilter("ignore", ConvergenceWarning)
    times, accuracies = [], []
    for run in range(runs):
        model = MLPClassifier(hidden_layer_sizes=(128,), activation="relu", solver="adam", learning_rate_init=1e-3,
                              batch_size=64, max_iter=1, alpha=0.0, shuffle=True, random_state=run + 1)
        start = time.perf_counter()
        model.fit(x_train, y_train)
        times.append(time.perf_counter() - start)
        accuracies.append(model.score(x_test, y_test))
        print(f"  run {run + 1}: {times[-1]:.3f} s per epoch, test accuracy {100 * accuracies[-1]:.2f}%")
    print(f"median: {statistics.median(times):.3f} s per epoch, test accuracy {100 * statistics.median(accuracies):.2f}%")


if __name__ == "__main__":
    main()
