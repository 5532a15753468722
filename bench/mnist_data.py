"""The course's MNIST files as NumPy arrays, for the baseline benchmarks."""
import gzip
import pathlib

import numpy as np

MNIST = pathlib.Path(__file__).resolve().parent.parent / "Assignments" / "data" / "mnist"


def idx(name):
    """The array in the gzip'd IDX file `name` of Assignments/data/mnist."""
    data = gzip.open(MNIST / name).read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load():
    """(x_train, y_train, x_test, y_test): pixels as float64 in [0, 1], one image per row."""
    return (idx("train-images-idx3-ubyte.gz").reshape(60000, 784) / 255.0, idx("train-labels-idx1-ubyte.gz"),
            idx("t10k-images-idx3-ubyte.gz").reshape(10000, 784) / 255.0, idx("t10k-labels-idx1-ubyte.gz"))
