#!/usr/bin/env python3
"""Writes scipy_fixtures.json: values from SciPy and NumPy that the reference engine is tested against.

Regenerate with `python3 Tests/ReferenceEngineTests/Fixtures/make_fixtures.py` (needs numpy and scipy).
The points and problems are fixed, so the file only changes when SciPy's results do.

Contents:
- rosenbrock: scipy.optimize.rosen, rosen_der and rosen_hess at points of dimension 2 to 5
  (SciPy's rosen is sum 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2, i.e. alpha = 1, beta = 100);
- logistic: the L2-regularised logistic loss (1/m) sum [log(1 + e^z) - y z] + lambda/2 |w|^2, z = X w,
  its gradient and Hessian computed with numpy (log(1 + e^z) as numpy.logaddexp(0, z), which does not
  overflow) and scipy.special.expit, and its minimiser found twice with scipy.optimize.minimize:
  method="Newton-CG" (exact gradient and Hessian) and method="BFGS" (gradient only).
  Each minimum carries "distance_bound" = |grad f(x)|_2 / lambda, computed with numpy at SciPy's x:
  the loss is lambda-strongly convex, so |x - x*|_2 <= |grad f(x)|_2 / lambda for the true minimiser x*.
  The Swift test allows exactly that distance (plus its own Newton's), not a hand-picked tolerance.
"""
import json
import pathlib

import numpy as np
from scipy.optimize import minimize, rosen, rosen_der, rosen_hess
from scipy.special import expit

rng = np.random.default_rng(20261123)
fixtures = {"rosenbrock": [], "logistic": []}

points = [[-1.2, 1.0], [0.5, -0.3], [1.0, 1.0], [0.3, 0.7, -0.2], [2.0, -1.0, 0.5, 1.5], [-0.5, 0.25, 0.75, 1.1, -1.3]]
for x in points:
    x = np.array(x)
    fixtures["rosenbrock"].append({
        "x": x.tolist(),
        "value": float(rosen(x)),
        "gradient": rosen_der(x).tolist(),
        "hessian": rosen_hess(x).tolist(),
    })


def logistic(w, X, y, lam):
    z = X @ w
    return float(np.mean(np.logaddexp(0.0, z) - y * z) + 0.5 * lam * w @ w)


def logistic_grad(w, X, y, lam):
    return X.T @ (expit(X @ w) - y) / len(y) + lam * w


def logistic_hess(w, X, y, lam):
    p = expit(X @ w)
    return (X.T * (p * (1 - p))) @ X / len(y) + lam * np.eye(len(w))


for m, n, lam in [(20, 2, 0.1), (35, 3, 0.05), (50, 4, 0.5)]:
    X = rng.standard_normal((m, n))
    y = (rng.random(m) < expit(X @ rng.standard_normal(n))).astype(float)
    w = rng.standard_normal(n)
    minima = []
    for method, extra in [("Newton-CG", {"hess": logistic_hess, "options": {"xtol": 1e-14, "maxiter": 200}}),
                          ("BFGS", {"options": {"gtol": 1e-13, "maxiter": 1000}})]:
        result = minimize(logistic, np.zeros(n), args=(X, y, lam), jac=logistic_grad, method=method, **extra)
        bound = float(np.linalg.norm(logistic_grad(result.x, X, y, lam)) / lam)
        # BFGS may report a precision loss near the minimum; the bound, not SciPy's flag, is what counts.
        assert bound < 1e-7, f"{method} stopped too far from the minimum: {bound}"
        minima.append({"method": method, "x": result.x.tolist(), "distance_bound": bound})
    fixtures["logistic"].append({
        "X": X.tolist(), "y": y.tolist(), "lambda": lam, "w": w.tolist(),
        "value": logistic(w, X, y, lam),
        "gradient": logistic_grad(w, X, y, lam).tolist(),
        "hessian": logistic_hess(w, X, y, lam).tolist(),
        "minima": minima,
    })

out = pathlib.Path(__file__).with_name("scipy_fixtures.json")
out.write_text(json.dumps(fixtures, indent=1) + "\n")
print(f"wrote {out}")
