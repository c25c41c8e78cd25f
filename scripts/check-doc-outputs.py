#!/usr/bin/env python3
"""Checks that every Parley output quoted in the docs is what the binary prints.

Usage:
  scripts/check-doc-outputs.py --parley BUILD/sim/cli/parley [--update] [PATH...]

PATH: Markdown files or folders (default: README.md and docs/ of the repository).
The convention (docs/development.md, "Outputs quoted in the docs"):

  <!-- parley-output: parley run border-talks.yaml -n 2000 -->
  ```text
  ...the output of that command...
  ```

  An HTML comment (invisible when the Markdown is rendered) on the line right
  above a fenced block: the block is the output (stdout, then stderr) of the
  shell command after the colon. Options go before the colon:
  `<!-- parley-output exit=2: parley validate bad.yaml -->` expects exit
  status 2 (the default is 0). The comment may span several lines.

  <!-- parley-output -->
  ```console
  $ parley validate my-variant.yaml
  my-variant.yaml: ok: ...
  $ parley run scenarios/istanbul-2025.yaml my-variant.yaml -n 2000
  ...
  ```

  With no command, the block is a terminal session: each line starting with
  "$ " is a command, the lines after it (up to the next "$ " line) its output.

  <!-- parley-file: border-talks.yaml -->
  ```yaml
  ...
  ```

  The block's text is the file border-talks.yaml for every command (a name is
  defined once in all the docs, so any page can use the tutorial's files).

  In an output, a line holding only "..." stands for any number of lines
  (including none): the block may quote an excerpt. A line that ends in
  "..." after other text quotes the start of a longer line.

  <!-- parley-run -->
  ```sh
  parley run scenarios/istanbul-2025.yaml --json result.json --quiet
  ```

  Commands shown without their output: the block runs as one bash script
  (set -e, pipefail) and must exit with status 0 (or exit=N).

Each command runs with bash (pipefail) in a fresh temporary folder that holds a
link to every top-level entry of the repository (so scenarios/... works), the
parley-file files of its Markdown file, and `parley` on PATH (also reachable as
build/release/sim/cli/parley, the path the README uses), with LC_ALL=C and
TZ=UTC, stdin from /dev/null, and a time limit (--timeout).

Before comparing, the quoted and the produced text are both masked by the rules
in MASKS below (times, rates, thread counts, timestamps, the temporary folder);
nothing else varies. Trailing spaces and trailing empty lines are ignored.

Without --update a block that differs fails with a unified diff naming
FILE:LINE of its opening fence; the exit status is 1 if any block failed. With
--update every differing block is rewritten from the binary in place (each file
replaced atomically); lines that are equal after masking keep their quoted text,
and an excerpt keeps its "..." lines. An excerpt whose quoted lines cannot be
found in the output any more (not even with other numbers) is not updated: it
fails, and needs a writer.
"""

import argparse
import concurrent.futures
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

# The only parts of an output that may differ between runs of the same command.
# Each is (name, pattern, replacement); the replacement keeps the unit so that
# a masked "0.42 s" still cannot stand for "0.42%".
MASKS = [
    # "2 threads, 0.058 s (sampling 0.053 s, ...)": durations, printed with
    # decimals and the unit "s" or "ms".
    ("duration", re.compile(r"(?<![\w.])\d+\.\d+ (m?s)\b"), r"<T> \1"),
    # "1886347 samples/s", "76922 evaluations/s": rates.
    ("rate", re.compile(r"(?<![\w.])\d+(?:\.\d+)? (samples|evaluations)/s\b"), r"<R> \1/s"),
    # "2 threads" / "1 thread": the default is the machine's core count.
    ("threads", re.compile(r"(?<![\w.])\d+ threads?\b"), "<N> threads"),
    # Per-sample costs (`parley compare`): "3411 ns".
    ("cost", re.compile(r"(?<![\w.])\d+ ns\b"), "<C> ns"),
    # The same in JSON: "threads": 2, "seconds": 0.0019745, ...
    ("json-run", re.compile(
        r'"(threads|threads_used|seconds|sampling_seconds|samples_per_second|'
        r'evaluations_per_second)": -?[0-9][0-9.eE+-]*'), r'"\1": <X>'),
    # Round-off: a number in e-notation below 1e-12 (a regret of 1.11e-16).
    # Its last bits depend on the compiler's order of floating-point
    # operations; an exact 0 or any larger number is compared as printed.
    ("round-off", re.compile(r"(?<![\w.])[-+]?\d(?:\.\d+)?e-(?:1[3-9]|[2-9]\d|\d{3})\b"),
     "<~0>"),
    # ISO 8601 dates and times.
    ("timestamp", re.compile(
        r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b"),
     "<DATE>"),
]

ELLIPSIS = "..."
MARKER_START = re.compile(r"^(\s*)<!--\s*parley-(output|file|run)\b(.*)$")
FENCE_OPEN = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


class DocError(Exception):
  """A mistake in the docs' markers: reported as FILE:LINE: message."""


def mask(line, workdir=None):
  if workdir:
    line = line.replace(workdir, "<TMP>")
  line = line.rstrip()
  for _, pattern, repl in MASKS:
    line = pattern.sub(repl, line)
  return line


def shape(line):
  """What stays of a line when its numbers change: locates an excerpt's lines."""
  return " ".join(NUMBER.sub("#", mask(line)).split())


class Block:
  """One fenced block with a marker above it."""

  def __init__(self, path, kind, options, command, fence_line, indent, lines,
               body_start, body_end):
    self.path = path
    self.kind = kind  # "output", "run" or "file"
    self.options = options
    self.command = command  # None for a session ("$ " lines in the block)
    self.fence_line = fence_line  # 1-based line of the opening fence
    self.indent = indent
    self.lines = lines  # the block's text, the fence's indentation removed
    self.body_start = body_start  # 0-based index of the first line inside
    self.body_end = body_end  # 0-based index of the closing fence
    self.seconds = 0.0  # how long its commands took

  def where(self):
    return f"{self.path}:{self.fence_line}"


def parse_markdown(path, text):
  """Returns the marked blocks of one Markdown file, in order."""
  lines = text.split("\n")
  blocks = []
  pending = None  # (kind, options, command, marker line) waiting for a fence
  i = 0
  while i < len(lines):
    line = lines[i]
    fence = FENCE_OPEN.match(line)
    if fence:
      indent, ticks = fence.group(1), fence.group(2)
      close = re.compile(r"^\s*" + re.escape(ticks[0]) + "{" + str(len(ticks)) + r",}\s*$")
      j = i + 1
      while j < len(lines) and not close.match(lines[j]):
        j += 1
      if j == len(lines):
        raise DocError(f"{path}:{i + 1}: a fenced block is never closed")
      if pending is not None:
        kind, options, command, marker_line = pending
        body = []
        for k in range(i + 1, j):
          text_line = lines[k]
          if indent and text_line.startswith(indent):
            text_line = text_line[len(indent):]
          elif indent and text_line.strip() == "":
            text_line = ""
          body.append(text_line)
        blocks.append(Block(path, kind, options, command, i + 1, indent, body, i + 1, j))
        pending = None
      i = j + 1
      continue
    if pending is not None:
      raise DocError(f"{path}:{pending[3]}: a parley-{pending[0]} marker must be directly "
                     "above a fenced block (```)")
    marker = MARKER_START.match(line)
    if marker:
      kind = marker.group(2)
      start = i
      rest = marker.group(3)
      while "-->" not in rest:
        i += 1
        if i == len(lines):
          raise DocError(f"{path}:{start + 1}: the parley-{kind} comment is never closed (-->)")
        rest += " " + lines[i].strip()
      if rest.split("-->", 1)[1].strip():
        raise DocError(f"{path}:{i + 1}: nothing may follow the parley-{kind} comment's -->")
      rest = rest.split("-->", 1)[0].strip()
      if ":" in rest:
        head, command = rest.split(":", 1)
        command = command.strip()  # spaces inside it may matter (sed 'a\  text')
      else:
        head, command = rest, None
      options = {}
      for word in head.split():
        key, eq, value = word.partition("=")
        if kind == "file" or key != "exit" or not eq or not value.isdigit():
          raise DocError(f"{path}:{start + 1}: unknown option '{word}' in the parley-{kind} "
                         "comment (parley-output and parley-run take exit=N)")
        options[key] = int(value)
      if kind == "file" and not command:
        raise DocError(f"{path}:{start + 1}: parley-file needs a file name: "
                       "<!-- parley-file: NAME -->")
      if kind == "file" and (command.startswith("/") or ".." in command.split("/")):
        raise DocError(f"{path}:{start + 1}: a parley-file name must be relative, inside "
                       f"the working folder, got '{command}'")
      pending = (kind, options, command, start + 1)
    i += 1
  if pending is not None:
    raise DocError(f"{path}:{pending[3]}: a parley-{pending[0]} marker must be directly "
                   "above a fenced block (```)")
  return blocks


def make_workdir(root, parley, files):
  work = tempfile.mkdtemp(prefix="parley-doc-outputs.")
  for name in sorted(os.listdir(root)):
    if name.startswith(".") or name == "build" or name.startswith("build-"):
      continue
    os.symlink(os.path.join(root, name), os.path.join(work, name))
  for name, text in files.items():
    dest = os.path.join(work, name)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(dest, "w", encoding="utf-8") as f:
      f.write(text)
  bindir = os.path.join(work, "build", "release", "sim", "cli")
  os.makedirs(bindir)
  os.symlink(parley, os.path.join(bindir, "parley"))
  # The Python module of the same build, where the README's line finds it
  # (PYTHONPATH=build/release/python).
  module_dir = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(parley))), "python")
  if os.path.isdir(module_dir):
    os.symlink(module_dir, os.path.join(work, "build", "release", "python"))
  return work, bindir


def run_command(command, work, bindir, timeout):
  """Runs one documented command in work; returns (exit status or None on timeout, lines)."""
  env = dict(os.environ)
  # Debian's python3 (the one the Python module is built for) before any
  # other on PATH.
  env.update({"PATH": bindir + os.pathsep + "/usr/bin" + os.pathsep +
                      env.get("PATH", "/usr/bin:/bin"),
              "LC_ALL": "C", "LANG": "C", "TZ": "UTC", "COLUMNS": "80",
              "HOME": work, "TMPDIR": work})
  env.pop("PARLEY_BIN", None)
  try:
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=work, env=env,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout)
  except subprocess.TimeoutExpired:
    return None, []
  text = proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")
  lines = [l.rstrip() for l in text.split("\n")]
  while lines and lines[-1] == "":
    lines.pop()
  real = os.path.realpath(work)
  lines = [l.replace(real, "<TMP>").replace(work, "<TMP>") for l in lines]
  return proc.returncode, lines


def is_cut(line):
  """A quoted line that ends in "..." after other text quotes the start of a line."""
  s = line.rstrip()
  return s.endswith(ELLIPSIS) and s.strip() != ELLIPSIS


def line_matches(quoted, produced):
  if is_cut(quoted):
    return mask(produced).startswith(mask(quoted.rstrip()[:-len(ELLIPSIS)]).rstrip())
  return mask(quoted) == mask(produced)


def shape_matches(quoted, produced, widened=False):
  """Same shape (numbers ignored); `widened`: the produced line may go on
  (a table that gained columns), so that --update can renew the excerpt."""
  if is_cut(quoted) or widened:
    start = quoted.rstrip()[:-len(ELLIPSIS)] if is_cut(quoted) else quoted
    return shape(produced).startswith(shape(start).rstrip())
  return shape(quoted) == shape(produced)


def renew(quoted, produced):
  """The quoted line, or the produced one (cut the same way) where they differ."""
  if line_matches(quoted, produced):
    return quoted
  if is_cut(quoted):
    keep = len(quoted.rstrip()) - len(ELLIPSIS)
    return produced[:keep] + ELLIPSIS
  return produced


def reconcile(quoted, produced):
  """What the quoted lines should be, given the produced output.

  Returns (new lines, None) or (None, reason). Quoted lines equal to produced
  ones after masking are kept as quoted; "..." lines are kept and stand for any
  run of lines.
  """
  quoted = [l.rstrip() for l in quoted]
  while quoted and quoted[-1] == "":
    quoted.pop()
  if ELLIPSIS not in [l.strip() for l in quoted] and not any(is_cut(l) for l in quoted):
    # A whole output: align the masked lines, take the produced text where they differ.
    a = [mask(l) for l in quoted]
    b = [mask(l) for l in produced]
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
      out.extend(quoted[i1:i2] if op == "equal" else produced[j1:j2])
    return out, None
  # An excerpt: runs of quoted lines between "..." lines, found in order by
  # their shape (numbers ignored), then compared line by line.
  items = []  # [lines] for a run of quoted lines, None for "..."
  for line in quoted:
    if line.strip() == ELLIPSIS:
      items.append(None)
    elif items and items[-1] is not None:
      items[-1].append(line)
    else:
      items.append([line])
  positions = {}
  pos = 0
  for n, seg in enumerate(items):
    if seg is None:
      continue
    after_gap = n > 0 and items[n - 1] is None
    if n == len(items) - 1:  # the last lines: they end the output
      candidates = [len(produced) - len(seg)]
      if not after_gap:
        candidates = [pos] if pos == len(produced) - len(seg) else []
    elif not after_gap:
      candidates = [pos]
    else:
      candidates = range(pos, len(produced) - len(seg) + 1)
    def find(widened):
      return next((c for c in candidates
                   if c >= pos and c + len(seg) <= len(produced) and
                   all(shape_matches(q, produced[c + k], widened) for k, q in enumerate(seg))),
                  None)
    found = find(False)
    if found is None:  # lines that grew at the end are renewed whole
      candidates = list(candidates)
      found = find(True)
    if found is None:
      return None, ("the excerpt's lines are not in the output in this order, even with "
                    f"other numbers (first missing: '{seg[0].strip()}')")
    positions[n] = found
    pos = found + len(seg)
  out = []
  gaps = iter(l for l in quoted if l.strip() == ELLIPSIS)
  for n, seg in enumerate(items):
    if seg is None:
      out.append(next(gaps))  # kept as written, indentation included
      continue
    for offset, line in enumerate(seg):
      out.append(renew(line, produced[positions[n] + offset]))
  return out, None


def check_block(block, root, parley, files, timeout):
  """Returns (expected lines or None, list of problem messages)."""
  expect_exit = block.options.get("exit", 0)
  if block.kind == "run":
    # Commands shown without their output: they must run, with the exit status.
    started = time.monotonic()
    work, bindir = make_workdir(root, parley, files)
    try:
      status, produced = run_command("set -e\n" + "\n".join(block.lines), work, bindir, timeout)
    finally:
      shutil.rmtree(work, ignore_errors=True)
    block.seconds = time.monotonic() - started
    if status is None:
      return None, [f"FAIL: {block.where()}: the commands took more than {timeout} s"]
    if status != expect_exit:
      shown = "\n".join("    " + l for l in produced[-20:])
      return None, [f"FAIL: {block.where()}: the commands exited with status {status}, "
                    f"expected {expect_exit}; their output:\n{shown}"]
    return [l.rstrip() for l in block.lines], []
  if block.command is not None:
    sessions = [(None, block.command, block.lines)]
  else:
    sessions = []
    for line in block.lines:
      if line.startswith("$ "):
        sessions.append((line, line[2:].strip(), []))
      elif not sessions:
        if line.strip():
          return None, [f"FAIL: {block.where()}: a parley-output block without a command "
                        "must start with a '$ ' line (or give the command in the marker)"]
      else:
        sessions[-1][2].append(line)
    if not sessions:
      return None, [f"FAIL: {block.where()}: the block has no '$ ' command line"]
  new_lines = []
  problems = []
  started = time.monotonic()
  # One working folder per block: the commands of a session share it.
  work, bindir = make_workdir(root, parley, files)
  try:
    for prompt, command, quoted in sessions:
      lines, problem = check_command(block, command, quoted, work, bindir, timeout, expect_exit)
      if problem:
        return None, [problem]
      if prompt is not None:
        new_lines.append(prompt)
      new_lines.extend(lines)
  finally:
    shutil.rmtree(work, ignore_errors=True)
  block.seconds = time.monotonic() - started
  return new_lines, problems


def check_command(block, command, quoted, work, bindir, timeout, expect_exit):
  """Returns (the quoted lines as they should be, None) or (None, a problem)."""
  status, produced = run_command(command, work, bindir, timeout)
  if status is None:
    return None, f"FAIL: {block.where()}: `{command}` took more than {timeout} s"
  if status != expect_exit:
    shown = "\n".join("    " + l for l in produced[-20:])
    return None, (f"FAIL: {block.where()}: `{command}` exited with status {status}, "
                  f"expected {expect_exit}; its output:\n{shown}")
  lines, reason = reconcile(quoted, produced)
  if lines is None:
    diff = "\n".join(difflib.unified_diff(
        [l.rstrip() for l in quoted], produced, f"{block.where()} (in the docs)",
        f"{block.where()} (the whole output of: {command})", lineterm=""))
    return None, (f"FAIL: {block.where()}: {reason}; --update cannot fix an excerpt "
                  f"whose lines are gone: rewrite it by hand\n{diff}")
  return lines, None


def write_atomically(path, text):
  directory = os.path.dirname(os.path.abspath(path))
  fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", dir=directory)
  try:
    with os.fdopen(fd, "w", encoding="utf-8") as f:
      f.write(text)
    shutil.copymode(path, tmp)
    os.replace(tmp, path)
  except BaseException:
    if os.path.exists(tmp):
      os.unlink(tmp)
    raise


def markdown_files(root, paths):
  """The Markdown files in paths; by default the repository's README.md and docs/."""
  if paths is None:
    paths = [os.path.join(root, "README.md"), os.path.join(root, "docs")]
  found = []
  for p in paths:
    if os.path.isdir(p):
      for dirpath, dirnames, filenames in os.walk(p):
        dirnames[:] = sorted(d for d in dirnames if d != "node_modules" and not d.startswith("."))
        found.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".md"))
    elif os.path.isfile(p):
      found.append(p)
    else:
      raise DocError(f"{p}: no such file or folder")
  return found


def main(argv):
  parser = argparse.ArgumentParser(
      description="Check (or --update) the Parley outputs quoted in the docs.")
  parser.add_argument("--parley", default=os.environ.get("PARLEY_BIN"),
                      help="the parley binary to run (default: $PARLEY_BIN)")
  parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      help="the repository root that commands run from (default: this "
                      "script's repository)")
  parser.add_argument("--update", action="store_true",
                      help="rewrite differing blocks from the binary's output")
  parser.add_argument("--timeout", type=float, default=30.0,
                      help="seconds each command may take (default 30)")
  parser.add_argument("--jobs", "-j", type=int, default=2, help="commands run at once (default 2)")
  parser.add_argument("paths", nargs="*", help="Markdown files or folders "
                      "(default: README.md and docs/)")
  args = parser.parse_args(argv)
  if not args.parley:
    parser.error("--parley PATH (or PARLEY_BIN) is required")
  parley = os.path.abspath(args.parley)
  if not (os.path.isfile(parley) and os.access(parley, os.X_OK)):
    print(f"FAIL: {args.parley} is not an executable", file=sys.stderr)
    return 2
  root = os.path.abspath(args.root)
  try:
    files = markdown_files(root, args.paths or None)
    # parley-file blocks are shared by every Markdown file: also read them from
    # the whole documentation when only some files are checked.
    defaults = [p for p in (os.path.join(root, "README.md"), os.path.join(root, "docs"))
                if os.path.exists(p)]
    given = {os.path.realpath(f) for f in files}
    everything = files + [f for f in markdown_files(root, defaults)
                          if args.paths and os.path.realpath(f) not in given]
    parsed = {}
    doc_files = {}
    defined_at = {}
    for path in everything:
      with open(path, encoding="utf-8") as f:
        text = f.read()
      shown = os.path.relpath(path, root) if path.startswith(root + os.sep) else path
      blocks = parse_markdown(shown, text)
      for b in blocks:
        if b.kind == "file":
          if b.command in doc_files:
            raise DocError(f"{b.where()}: parley-file '{b.command}' is already defined at "
                           f"{defined_at[b.command]}")
          doc_files[b.command] = "\n".join(b.lines) + "\n"
          defined_at[b.command] = b.where()
      parsed[path] = blocks
  except DocError as e:
    print(f"FAIL: {e}", file=sys.stderr)
    return 1

  jobs = []
  for path in files:
    for b in parsed[path]:
      if b.kind in ("output", "run"):
        jobs.append((path, b, doc_files))
  with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
    results = list(pool.map(
        lambda job: check_block(job[1], root, parley, job[2], args.timeout), jobs))

  failed = 0
  passed = 0
  updated = 0
  edits = {}
  for (path, b, _), (expected, problems) in zip(jobs, results):
    if problems:
      failed += 1
      for p in problems:
        print(p)
      continue
    quoted = list(b.lines)
    while quoted and quoted[-1].rstrip() == "":
      quoted.pop()
    if [l.rstrip() for l in quoted] == expected:
      passed += 1
      print(f"ok: {b.where()} ({b.seconds:.2f} s)")
      continue
    if args.update:
      edits.setdefault(path, []).append((b, expected))
      updated += 1
      print(f"updated: {b.where()}")
      continue
    failed += 1
    command = b.command if b.command is not None else "the $ commands in the block"
    print(f"FAIL: {b.where()}: the quoted output differs from what the binary prints "
          f"(`{command}`); scripts/check-doc-outputs.py --update rewrites it")
    print("\n".join(difflib.unified_diff(
        quoted, expected, f"{b.where()} (in the docs)", f"{b.where()} (from the binary)",
        lineterm="")))

  for path, changes in edits.items():
    with open(path, encoding="utf-8") as f:
      lines = f.read().split("\n")
    for b, expected in sorted(changes, key=lambda c: c[0].body_start, reverse=True):
      lines[b.body_start:b.body_end] = [(b.indent + l) if l else "" for l in expected]
    write_atomically(path, "\n".join(lines))

  blocks_total = len(jobs)
  runs = sum(1 for _, b, _ in jobs if b.kind == "run")
  summary = f"{passed} passed, {failed} failed"
  if args.update:
    summary += f", {updated} updated"
  print(f"{summary} ({blocks_total - runs} quoted outputs, {runs} command blocks)")
  if blocks_total == 0 and not args.paths:
    print("FAIL: no parley-output blocks found", file=sys.stderr)
    return 1
  return 1 if failed else 0


if __name__ == "__main__":
  sys.exit(main(sys.argv[1:]))
