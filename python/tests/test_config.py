"""run_config and specs: the same files the `augur` command runs."""
import os

import pytest

import augur

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples")


def test_run_config_returns_a_dict_and_a_results_file(tmp_path):
    path = os.path.join(EXAMPLES, "nelder-mead.cfg")
    r = augur.run_config(path, seed=3)
    assert set(r) >= {"x", "fun", "nfev", "nit", "message", "seed", "solver",
                      "results_text"}
    assert r["seed"] == 3
    # the results file is itself a config that repeats the run
    again = tmp_path / "again.cfg"
    again.write_text(r["results_text"])
    r2 = augur.run_config(str(again))
    assert r2["fun"] == r["fun"] and r2["nfev"] == r["nfev"]


def test_run_config_overrides_and_errors(tmp_path):
    path = os.path.join(EXAMPLES, "de.cfg")
    r = augur.run_config(path, overrides=["solver.limits.evaluations=300"], seed=1)
    assert r["nfev"] <= 300 + 100
    bad = tmp_path / "bad.cfg"
    bad.write_text('solver = { type = "no-such"; };\n')
    with pytest.raises(augur.AugurError, match="bad.cfg"):
        augur.run_config(str(bad))
