"""The logistic regression both training scripts fit (scripts/train_boundaries.py, scripts/train_genre.py).

Deterministic, no randomness: features standardized by their mean and sd (a constant column keeps scale 1),
an L2-regularized logistic regression fitted by Newton's method for a fixed number of iterations, the
intercept not penalized, rows optionally weighted (the genre fit weights the two classes equally).
"""
from __future__ import annotations

import numpy as np

CLIP = 30.0        # logits are clipped to +-CLIP before the sigmoid (no overflow in exp)
RIDGE = 1e-9       # added to the Hessian's diagonal so the Newton step is always solvable


def standardize(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean, scale) of each column; a column with sd under 1e-9 gets scale 1."""
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-9] = 1.0
    return mean, scale


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -CLIP, CLIP)))


def prob(X: np.ndarray, mean, scale, w, b) -> np.ndarray:
    """P(positive) of raw rows X under a model fitted on standardized features."""
    return sigmoid(((X - mean) / scale) @ w + b)


def fit(X: np.ndarray, y: np.ndarray, l2: float, iterations: int, sample_weight: np.ndarray | None = None):
    """L2 logistic regression on (standardized) X by Newton's method; returns (weights, bias)."""
    n, d = X.shape
    sw = np.ones(n) if sample_weight is None else sample_weight
    A = np.hstack([X, np.ones((n, 1))])
    w = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0
    for _ in range(iterations):
        p = sigmoid(A @ w)
        grad = A.T @ (sw * (p - y)) + reg * w
        H = (A * (sw * p * (1 - p))[:, None]).T @ A + np.diag(reg) + RIDGE * np.eye(d + 1)
        w = w - np.linalg.solve(H, grad)
    return w[:-1], float(w[-1])
