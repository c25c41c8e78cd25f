#!/usr/bin/env python3
"""Tests scripts/check-doc-outputs.py on the Markdown in tests/data/doc_outputs/.

The commands there run tests/data/doc_outputs/fake-parley, which prints fixed
text and a timing line that differs on every call, so these tests do not
depend on what the real binary prints (the CTest doc_outputs test checks that).
"""

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SCRIPT = os.path.join(REPO, "scripts", "check-doc-outputs.py")
DATA = os.path.join(HERE, "data", "doc_outputs")
FAKE = os.path.join(DATA, "fake-parley")

spec = importlib.util.spec_from_file_location("check_doc_outputs", SCRIPT)
checker = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checker)


def run(*args, root=DATA):
  proc = subprocess.run([sys.executable, SCRIPT, "--parley", FAKE, "--root", root, *args],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                        timeout=120)
  return proc.returncode, proc.stdout


class CheckTest(unittest.TestCase):

  def test_matching_blocks_pass(self):
    status, out = run(os.path.join(DATA, "matching.md"))
    self.assertEqual(status, 0, out)
    self.assertIn("5 passed, 0 failed (5 quoted outputs, 0 command blocks)", out)
    self.assertNotIn("no-such-file", out)  # the marker inside a code block is not run

  def test_drifted_block_fails_with_file_line_and_diff(self):
    status, out = run(os.path.join(DATA, "drifted.md"))
    self.assertEqual(status, 1, out)
    self.assertIn("0 passed, 2 failed", out)
    # FILE:LINE of each block's opening fence (FILE relative to --root), and
    # the diff of the one line.
    self.assertIn("FAIL: drifted.md:6: the quoted output differs", out)
    self.assertIn("FAIL: drifted.md:26: the quoted output differs", out)
    self.assertIn("\n-talks         66.8%  [ 66.1%,  67.4%]\n"
                  "+talks         66.7%  [ 66.1%,  67.4%]\n", out)
    self.assertIn("\n-talks         66.7%  [ 66.1%,  67.9%]\n"
                  "+talks         66.7%  [ 66.1%,  67.4%]\n", out)
    # The masked timing line is not part of any difference.
    self.assertNotIn("-1 thread", out)

  def test_masks_do_not_hide_a_changed_number(self):
    status, out = run(os.path.join(DATA, "masking.md"))
    self.assertEqual(status, 1, out)
    self.assertIn("0 passed, 5 failed (5 quoted outputs, 0 command blocks)", out)
    for quoted in ["-collapse       0.6%", "-north      1.259", "20000 samples, seed 7",
                   "-#1  (regret 0)", "payoff 0.666668"]:
      self.assertIn(quoted, out)

  def test_excerpt_whose_lines_are_gone_fails_and_is_not_updated(self):
    with tempfile.TemporaryDirectory() as tmp:
      path = os.path.join(tmp, "gone.md")
      shutil.copy(os.path.join(DATA, "gone.md"), path)
      status, out = run("--update", path)
      self.assertEqual(status, 1, out)
      self.assertIn(path + ":4: the excerpt's lines are not in the output", out)
      self.assertIn("rewrite it by hand", out)
      with open(path) as f, open(os.path.join(DATA, "gone.md")) as g:
        self.assertEqual(f.read(), g.read())

  def test_update_rewrites_only_what_differs(self):
    with tempfile.TemporaryDirectory() as tmp:
      path = os.path.join(tmp, "drifted.md")
      shutil.copy(os.path.join(DATA, "drifted.md"), path)
      os.chmod(path, 0o640)
      status, out = run("--update", path)
      self.assertEqual(status, 0, out)
      self.assertIn("0 passed, 0 failed, 2 updated", out)
      with open(path) as f, open(os.path.join(DATA, "drifted.expected.md")) as g:
        # The changed numbers are replaced; the timing line and the "..."
        # lines stay as quoted.
        self.assertEqual(f.read(), g.read())
      self.assertEqual(os.stat(path).st_mode & 0o777, 0o640)
      self.assertEqual(os.listdir(tmp), ["drifted.md"])  # no temporary file left
      status, out = run(path)
      self.assertEqual(status, 0, out)
      self.assertIn("2 passed, 0 failed", out)

  def test_marker_not_above_a_fence_is_an_error(self):
    status, out = run(os.path.join(DATA, "bad-marker.md"))
    self.assertEqual(status, 1, out)
    self.assertIn("FAIL: bad-marker.md:3: a parley-output marker must be "
                  "directly above a fenced block", out)

  def test_unexpected_exit_status_fails(self):
    status, out = run(os.path.join(DATA, "wrong-exit.md"))
    self.assertEqual(status, 1, out)
    self.assertIn(":4: `parley validate walk_out.txt` exited with status 2, expected 0", out)

  def test_timeout(self):
    status, out = run("--timeout", "1", os.path.join(DATA, "slow.md"))
    self.assertEqual(status, 1, out)
    self.assertIn("slow.md:4: `parley sleep 5` took more than 1.0 s", out)


class ParseTest(unittest.TestCase):

  def test_command_keeps_its_spaces_and_joins_lines(self):
    text = ("<!-- parley-output exit=2: sed -i '58a\\  samples: 1' x.yaml &&\n"
            "     parley validate x.yaml -->\n```text\nout\n```\n")
    [block] = checker.parse_markdown("a.md", text)
    self.assertEqual(block.command, "sed -i '58a\\  samples: 1' x.yaml && parley validate x.yaml")
    self.assertEqual(block.options, {"exit": 2})
    self.assertEqual(block.fence_line, 3)
    self.assertEqual(block.lines, ["out"])

  def test_unknown_option_is_an_error(self):
    with self.assertRaisesRegex(checker.DocError, r"^a.md:1: unknown option 'exti=2'"):
      checker.parse_markdown("a.md", "<!-- parley-output exti=2: x -->\n```\n```\n")


class MaskTest(unittest.TestCase):

  def test_variable_parts_are_masked(self):
    self.assertEqual(checker.mask("2 threads, 0.058 s (sampling 0.053 s, 1886347 samples/s)"),
                     "<N> threads, <T> s (sampling <T> s, <R> samples/s)")
    self.assertEqual(checker.mask("1 thread, 24.235 s (2239 evaluations/s)"),
                     "<N> threads, <T> s (<R> evaluations/s)")
    self.assertEqual(checker.mask('  "seconds": 0.0019745,'), '  "seconds": <X>,')
    self.assertEqual(checker.mask("#1  (regret 1.11e-16)"), "#1  (regret <~0>)")
    self.assertEqual(checker.mask("written 2026-12-02T12:49:12Z"), "written <DATE>")

  def test_results_are_not_masked(self):
    for line in ["collapse       17.1%  [ 16.9%,  17.4%]",
                 "model nash-pure (selection: uniform), 20000 samples, seed 42",
                 "russia       1.337  [1.324, 1.351]",
                 "#1  (regret 0)", "#1  (regret 0.123)", "tolerance 1e-9",
                 "lambda 51.2508", "7 points, 2 seeds", "payoff 0.666667"]:
      self.assertEqual(checker.mask(line), line)


if __name__ == "__main__":
  unittest.main()
