#!/usr/bin/env python3
"""generate.py - writes the data files of the fit examples (examples/*.cfg).

Each file is a fit model's prediction at known parameters plus Gaussian
noise of a stated sigma, drawn from Python's Mersenne Twister with a fixed
seed, so the files are reproducible: run it from any directory and it
rewrites them next to itself. The parameters used are in each file's
header; the answer an example expects is the best fit to the noisy data
(which is near them), not the parameters themselves. br8.csv is not made
here: it is Bevington and Robinson's published table (see its header).
"""
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, header, columns, rows):
    with open(os.path.join(HERE, name), "w") as f:
        for line in header:
            f.write("# " + line + "\n")
        f.write(",".join(columns) + "\n")
        for row in rows:
            f.write(",".join(repr(round(v, 10)) for v in row) + "\n")


def polynomial(rng):
    p, sigma = [0.5, -2.0, 1.0], 0.2
    rows = []
    for i in range(31):
        x = -3.0 + 0.2 * i
        y = p[0] * x * x + p[1] * x + p[2]
        rows.append((x, y + rng.gauss(0, sigma), sigma))
    write("polynomial.csv", ["y = 0.5 x^2 - 2 x + 1, noise sigma 0.2"],
          ["x", "y", "sigma"], rows)


def lorentzian(rng):
    a1, a2, a3, A0, E0, G0, n = 1.0, 0.1, 0.0, 10.0, 5.0, 1.0, 1.0
    sigma = 0.05
    rows = []
    for i in range(101):
        x = 0.1 * i
        peak = A0 * (G0 / (2 * math.pi)) / ((x - E0) ** 2 + (G0 / 2) ** 2)
        y = (a1 + a2 * x + a3 * x * x + peak) / n
        rows.append((x, y + rng.gauss(0, sigma), sigma))
    write("lorentzian.csv", ["a1=1 a2=0.1 a3=0 A0=10 E0=5 G0=1 n=1, noise sigma 0.05"],
          ["energy", "counts", "sigma"], rows)


def gaussian_peaks(rng):
    b, peaks, sigma = 0.5, [(3.0, 2.0, 0.5), (2.0, 5.0, 0.8)], 0.05
    rows = []
    for i in range(81):
        x = 0.1 * i
        y = b + sum(A * math.exp(-0.5 * ((x - c) / w) ** 2) for A, c, w in peaks)
        rows.append((x, y + rng.gauss(0, sigma), sigma))
    write("gaussian-peaks.csv",
          ["b=0.5, (A, c, w) = (3, 2, 0.5), (2, 5, 0.8), noise sigma 0.05"],
          ["x", "y", "sigma"], rows)


def mogi(rng):
    x0, y0, z0, dV, sigma = 0.3, -0.2, 1.5, 1.0, 1e-3
    c = 3 * dV / (4 * math.pi)
    rows = []
    for i in range(5):
        for j in range(5):
            x, y = -2.0 + i, -2.0 + j
            dx, dy, dz = x - x0, y - y0, -z0
            r3 = (dx * dx + dy * dy + dz * dz) ** 1.5
            u = [c * d / r3 + rng.gauss(0, sigma) for d in (dx, dy, dz)]
            rows.append((x, y, u[0], u[1], u[2], sigma, sigma, sigma))
    write("mogi.csv", ["x0=0.3 y0=-0.2 z0=1.5 dV=1, noise sigma 1e-3"],
          ["x", "y", "ux", "uy", "uz", "sx", "sy", "sz"], rows)


def chirp(rng):
    p, sigma = [1.0, 0.5, 0.3, 0.1], 0.02
    rows = []
    for i in range(81):
        t = 0.05 * i
        y = p[0] * t * math.sin(p[1] * math.pi * t * t + p[2]) * math.exp(-p[3] * t * t)
        rows.append((t, y + rng.gauss(0, sigma), sigma))
    write("chirp.csv", ["p1=1 p2=0.5 p3=0.3 p4=0.1, noise sigma 0.02"],
          ["t", "y", "sigma"], rows)


def kuramoto(rng):
    omega, K, theta = [1.0, 1.5, 2.0], 0.8, [0.0, 1.0, 2.0]
    n, sigma, dt = len(omega), 0.01, 1e-3

    def rhs(th):
        return [omega[i] + K / n * sum(math.sin(th[j] - th[i]) for j in range(n))
                for i in range(n)]

    rows, t = [], 0.0
    for k in range(21):
        target = 0.25 * k
        while t < target - 1e-12:      # RK4 to the next row
            h = min(dt, target - t)
            k1 = rhs(theta)
            k2 = rhs([a + h / 2 * b for a, b in zip(theta, k1)])
            k3 = rhs([a + h / 2 * b for a, b in zip(theta, k2)])
            k4 = rhs([a + h * b for a, b in zip(theta, k3)])
            theta = [a + h / 6 * (b + 2 * c + 2 * d + e)
                     for a, b, c, d, e in zip(theta, k1, k2, k3, k4)]
            t += h
        noisy = [v + (rng.gauss(0, sigma) if k else 0.0) for v in theta]
        rows.append([target] + noisy + [sigma] * n)
    write("kuramoto.csv",
          ["omega=(1, 1.5, 2) K=0.8 from phases (0, 1, 2), noise sigma 0.01 "
           "(none on the first row, where the prediction starts)"],
          ["t", "th1", "th2", "th3", "s1", "s2", "s3"], rows)


def damped_sine(rng):
    """The formula example (fit-damped-sine.cfg): no built-in model."""
    a, tau, w, phi, c, sigma = 2.0, 3.0, 2.5, 0.4, 0.5, 0.05
    rows = []
    for i in range(121):
        t = 0.1 * i
        y = a * math.exp(-t / tau) * math.sin(w * t + phi) + c
        rows.append((t, y + rng.gauss(0, sigma), sigma))
    write("damped-sine.csv",
          ["y = a exp(-t/tau) sin(w t + phi) + c with a=2 tau=3 w=2.5 phi=0.4 c=0.5, "
           "noise sigma 0.05"],
          ["t", "y", "sigma"], rows)


if __name__ == "__main__":
    for k, make in enumerate([polynomial, lorentzian, gaussian_peaks, mogi, chirp,
                              kuramoto, damped_sine]):
        make(random.Random(1000 + k))
