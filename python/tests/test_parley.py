"""The `parley` Python module against the `parley` binary: the same results
bit for bit, per-sample arrays that add up to the run, errors with their
file positions."""

import json
import os
import subprocess

import numpy as np
import pytest

import parley

SOURCE = os.environ.get("PARLEY_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
ISTANBUL = os.path.join(SOURCE, "scenarios", "istanbul-2025.yaml")
ROUNDS = os.path.join(SOURCE, "scenarios", "istanbul-2025-rounds.yaml")


def cli(*args):
    out = subprocess.run([os.environ["PARLEY_BIN"], *args], check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout)


def without_timing(doc):
    return {k: v for k, v in doc.items() if k != "run"}


def test_version_and_inspection():
    assert parley.__version__
    s = parley.load(ISTANBUL)
    assert s.name == "Istanbul talks, May 2025"
    assert [a["id"] for a in s.actors] == ["russia", "ukraine", "us", "europe"]
    assert s.actors[0]["options"] == ["ceasefire", "talks", "walkout"]
    assert s.outcomes == ["ceasefire", "collapse", "talks_without_ceasefire"]
    assert len(s.arguments) == 17
    names = [n["name"] for n in s.sweepable]
    assert "param.sabotage_penalty" in names
    assert "credence.baunov-trump-exit" in names
    assert not s.multi_round


@pytest.mark.parametrize("flags", [
    {},
    {"model": "qre:lambda=2"},
    {"set": ["credence.baunov-trump-exit=0.9"], "without": ["perception-shaping"]},
])
def test_run_equals_the_cli_bit_for_bit(flags):
    args = ["run", ISTANBUL, "-n", "3000", "--json", "-"]
    if "model" in flags:
        args += ["--model", flags["model"]]
    for s in flags.get("set", []):
        args += ["--set", s]
    for a in flags.get("without", []):
        args += ["--without", a]
    expected = cli(*args)
    got = parley.load(ISTANBUL).run(samples=3000, threads=2, **flags)
    assert without_timing(got) == without_timing(expected)


def test_a_multi_round_run_has_its_rounds():
    got = parley.load(ROUNDS).run(samples=2000, threads=1)
    expected = cli("run", ROUNDS, "-n", "2000", "--json", "-")
    assert without_timing(got) == without_timing(expected)
    assert got["rounds"]["max_rounds"] == 3


def test_per_sample_arrays_add_up_to_the_run():
    result = parley.load(ISTANBUL).run(samples=5000, model="qre", per_sample=True)
    rows = result["per_sample"]
    assert rows["draws"].shape == (5000, len(rows["draw_names"]))
    assert rows["held"].shape == (5000, 17)
    assert rows["outcomes"].shape == (5000, 4)
    assert rows["play"].shape == (5000, 12)
    assert rows["outcome_names"] == ["ceasefire", "collapse", "talks_without_ceasefire",
                                     "unresolved"]
    means = rows["outcomes"].mean(axis=0)
    for k, outcome in enumerate(result["outcomes"]):
        assert means[k] == pytest.approx(outcome["probability"], abs=1e-12)
    # Each actor's options add up to one.
    play = rows["play"].reshape(5000, 4, 3).sum(axis=2)
    assert np.allclose(play, 1.0, atol=1e-9)
    # The draws are the CLI's per-sample CSV's.
    csv = subprocess.run([os.environ["PARLEY_BIN"], "run", ISTANBUL, "-n", "5", "-m", "qre",
                          "--per-sample", "-"], check=True, capture_output=True, text=True).stdout
    header, *lines = csv.strip().split("\n")
    columns = header.split(",")
    first = dict(zip(columns, lines[0].split(",")))
    for k, name in enumerate(rows["draw_names"]):
        assert float(first[name]) == rows["draws"][0, k]


def test_the_clis_npy_rows_load_in_numpy_and_equal_the_module_arrays(tmp_path):
    path = tmp_path / "rows.npy"
    subprocess.run([os.environ["PARLEY_BIN"], "run", ISTANBUL, "-n", "3000", "-m", "qre",
                    "--per-sample", str(path), "-q"], check=True)
    rows = np.load(path, mmap_mode="r")
    assert rows.shape == (3000,)
    assert list(rows["sample"]) == list(range(3000))
    arrays = parley.load(ISTANBUL).run(samples=3000, model="qre", per_sample=True)["per_sample"]
    for k, name in enumerate(arrays["draw_names"]):
        assert np.array_equal(rows[name], arrays["draws"][:, k]), name
    for k, name in enumerate(arrays["outcome_names"]):
        assert np.array_equal(rows["p." + name], arrays["outcomes"][:, k]), name
    held = [n for n in rows.dtype.names if n.startswith("held.")]
    assert np.array_equal(np.stack([rows[n] for n in held], axis=1), arrays["held"])
    assert rows.dtype["outcome"].kind == "S"


def test_per_sample_arrays_are_not_copies():
    rows = parley.load(ISTANBUL).run(samples=100, per_sample=True)["per_sample"]
    for name in ("draws", "held", "outcomes", "play"):
        # The array views memory the module handed over (its base owns it).
        assert not rows[name].flags["OWNDATA"], name
        assert rows[name].base is not None, name


SEQUENTIAL = os.path.join(SOURCE, "scenarios", "istanbul-2025-sequential.yaml")


@pytest.mark.parametrize("path,vary", [
    (ISTANBUL, ["payoff.ceasefire.russia=0:1:3"]),
    (SEQUENTIAL, ["param.sabotage_penalty=0:3:3"]),
])
def test_sweep_equals_the_cli_bit_for_bit(path, vary):
    args = ["sweep", path, "-n", "2000", "--json", "-"]
    for v in vary:
        args += ["--vary", v]
    expected = cli(*args)
    got = parley.load(path).sweep(vary, samples=2000, threads=2)
    assert without_timing(got) == without_timing(expected)
    assert len(got["points"]) == 3


@pytest.mark.parametrize("method,samples", [("sobol", 64), ("morris", 10)])
def test_sensitivity_equals_the_cli_bit_for_bit(method, samples):
    expected = cli("sensitivity", ISTANBUL, "--method", method, "-n", str(samples), "--json", "-")
    got = parley.load(ISTANBUL).sensitivity(method=method, samples=samples, threads=2)
    assert without_timing(got) == without_timing(expected)


def test_attribution_equals_the_cli_bit_for_bit():
    expected = cli("run", ISTANBUL, "-n", "1000", "--attribution", "shapley", "--json", "-")
    got = parley.load(ISTANBUL).run(samples=1000, attribution=True)
    assert "attribution" in got
    assert without_timing(got) == without_timing(expected)


@pytest.mark.parametrize("args,kwargs", [
    ([ISTANBUL], {}),
    ([os.path.join(SOURCE, "scenarios", "classic", "matching-pennies.yaml"), "--method", "vertex"],
     {"method": "vertex"}),
    ([SEQUENTIAL, "--sample", "7", "--seed", "3"], {"sample": 7, "seed": 3}),
])
def test_solve_equals_the_cli(args, kwargs):
    expected = cli("solve", *args, "--json", "-")
    assert parley.solve(args[0], **kwargs) == expected


def test_compare_equals_the_cli_bit_for_bit():
    files = [ISTANBUL, os.path.join(SOURCE, "scenarios", "classic", "stag-hunt.yaml")]
    expected = cli("compare", *files, "--models", "nash-pure,qre:lambda=1", "-n", "2000",
                   "--json", "-")
    got = parley.compare(files, ["nash-pure", "qre:lambda=1"], samples=2000)
    assert without_timing(got) == without_timing(expected)


def test_score_equals_the_cli_bit_for_bit():
    history = os.path.join(SOURCE, "scenarios", "history")
    files = sorted(os.path.join(history, f) for f in os.listdir(history))[:3]
    expected = cli("score", *files, "--models", "nash-pure,qre", "-n", "500", "--json", "-")
    got = parley.score(files, models=["nash-pure", "qre"], samples=500)
    assert without_timing(got) == without_timing(expected)


def test_analyses_refuse_bad_input():
    with pytest.raises(parley.ParleyError, match="unknown method 'nope'"):
        parley.load(ISTANBUL).sensitivity(method="nope")
    with pytest.raises(parley.ParleyError, match="no sweepable name"):
        parley.load(ISTANBUL).sweep(["param.nope=0:1:2"])
    with pytest.raises(parley.ParleyError, match="no-such.nfg"):
        parley.solve(os.path.join(SOURCE, "no-such.nfg"))
    with pytest.raises(parley.ParleyError, match="unknown model"):
        parley.compare([ISTANBUL], ["nash-pure", "nope"])
    with pytest.raises(parley.ParleyError, match="observed"):
        parley.score([ISTANBUL])


def test_bad_input_raises_with_its_position():
    with pytest.raises(parley.ParleyError, match=r"bad\.yaml:2:9: error: `actors` must be"):
        parley.loads("name: x\nactors: 3\noutcomes: []\npayoffs: {}\n", "bad.yaml")
    with pytest.raises(ValueError, match="no sweepable name 'param.nope'"):
        parley.load(ISTANBUL).run(samples=10, set=["param.nope=1"])
    with pytest.raises(parley.ParleyError, match="unknown model"):
        parley.load(ISTANBUL).run(samples=10, model="nope")


def test_loads_runs_like_a_file():
    text = open(os.path.join(SOURCE, "scenarios", "classic", "stag-hunt.yaml")).read()
    s = parley.loads(text, "stag.yaml")
    got = s.run(samples=500)
    assert got["samples"] == 500
    assert sum(o["probability"] for o in got["outcomes"]) == pytest.approx(1.0)


def stopped_by_ctrl_c(call):
    """Runs `call` in a child Python where `s` is the Istanbul scenario (its
    path is sys.argv[1]), sends it SIGINT once it has started, and checks
    that it stops at once with KeyboardInterrupt."""
    import signal
    import sys
    import time
    code = ("import parley, sys\n"
            "s = parley.load(sys.argv[1])\n"
            "print('started', flush=True)\n"
            f"{call}\n")
    proc = subprocess.Popen([sys.executable, "-c", code, ISTANBUL], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    assert proc.stdout.readline().strip() == "started"
    time.sleep(0.5)
    start = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert time.monotonic() - start < 10
    assert proc.returncode != 0
    assert "KeyboardInterrupt" in err


def test_ctrl_c_stops_a_long_run():
    stopped_by_ctrl_c("s.run(samples=1 << 36, threads=1)")


def test_ctrl_c_stops_a_long_sweep():
    stopped_by_ctrl_c("s.sweep(['payoff.ceasefire.russia=0:1:50'], samples=1 << 30, threads=1)")


def test_ctrl_c_stops_a_long_comparison():
    stopped_by_ctrl_c("parley.compare([sys.argv[1]], ['nash-pure', 'level-k'], "
                      "samples=1 << 36, threads=1)")


def test_ctrl_c_stops_a_long_score():
    history = os.path.join(SOURCE, "scenarios", "history", "minsk-2015-02.yaml")
    stopped_by_ctrl_c(f"parley.score([{history!r}], samples=1 << 36, threads=1)")
