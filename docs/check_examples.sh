#!/usr/bin/env bash
# Tests every complete scenario in the documentation.
#
# Usage: check_examples.sh PARLEY_BINARY DOCS_DIR
#
# A complete scenario is a fenced block opened by a line "```yaml" whose first
# line is "# doc-example: NAME". Each one is written to a temporary folder and
# must pass `parley validate` and a short `parley run`. Fragments (```yaml
# blocks without the marker line) are not checked.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 PARLEY_BINARY DOCS_DIR" >&2
  exit 2
fi
parley=$1
docs=$2
if [[ ! -x $parley ]]; then
  echo "FAIL: $parley is not an executable" >&2
  exit 1
fi
if [[ ! -d $docs ]]; then
  echo "FAIL: $docs is not a folder" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/parley-doc-examples.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Extract the examples. For each one, awk writes the YAML to $work/NNN.yaml
# and a line "NNN<TAB>NAME<TAB>FILE:LINE" to $work/index.tsv. Fences may be
# indented (inside a list); the fence's indentation is removed from the block.
count=0
while IFS= read -r -d '' md; do
  rel=${md#"$docs"/}
  count=$(awk -v out="$work" -v md="$rel" -v n="$count" '
    function flush() {
      if (is_example) {
        n++
        file = sprintf("%s/%03d.yaml", out, n)
        printf "%s", body > file
        close(file)
        printf "%03d\t%s\t%s:%d\n", n, name, md, start >> (out "/index.tsv")
      }
      in_block = 0; is_example = 0; body = ""; first = 0
    }
    {
      if (!in_block) {
        if (match($0, /^[ \t]*```yaml[ \t]*$/)) {
          in_block = 1; first = 1; body = ""; start = NR
          indent = $0; sub(/```yaml.*/, "", indent)
        }
        next
      }
      line = $0
      if (indent != "" && index(line, indent) == 1) line = substr(line, length(indent) + 1)
      if (line ~ /^[ \t]*```[ \t]*$/) { flush(); next }
      if (first) {
        first = 0
        if (line ~ /^# doc-example:/) {
          is_example = 1
          name = line; sub(/^# doc-example:[ \t]*/, "", name); sub(/[ \t]+$/, "", name)
        }
      }
      body = body line "\n"
    }
    END {
      if (in_block) {
        printf "FAIL: %s:%d: a ```yaml block is never closed\n", md, start > "/dev/stderr"
        exit 1
      }
      print n
    }' "$md")
done < <(find "$docs" -name '*.md' -type f -print0 | sort -z)

if [[ $count -eq 0 ]]; then
  echo "FAIL: no \`# doc-example:\` blocks found under $docs" >&2
  exit 1
fi

# Example names must be unique so that a failure names one example.
dups=$(cut -f2 "$work/index.tsv" | sort | uniq -d)
if [[ -n $dups ]]; then
  echo "FAIL: example names used more than once: $dups" >&2
  exit 1
fi

# Rewrites "TMPFILE:LINE:COL" in parley's messages to the place in the
# Markdown file (the example's line 1 is the line after the ```yaml fence).
relocate() {  # relocate TMPFILE DOC START
  awk -v f="$1" -v doc="$2" -v start="$3" '{
    while ((i = index($0, f ":")) > 0) {
      rest = substr($0, i + length(f) + 1)
      if (match(rest, /^[0-9]+/)) {
        line = substr(rest, 1, RLENGTH) + start
        $0 = substr($0, 1, i - 1) doc ":" line substr(rest, RLENGTH + 1)
      } else {
        $0 = substr($0, 1, i - 1) doc substr($0, i + length(f))
      }
    }
    print "    " $0
  }'
}

passed=0
failed=0
while IFS=$'\t' read -r id name where; do
  file="$work/$id.yaml"
  doc=${where%:*}
  start=${where##*:}
  if [[ -z $name ]]; then
    echo "FAIL: $where: the example has no name after '# doc-example:'" >&2
    failed=$((failed + 1))
    continue
  fi
  if ! out=$("$parley" validate "$file" 2>&1); then
    echo "FAIL: $where: example '$name': parley validate failed:" >&2
    echo "$out" | relocate "$file" "$doc" "$start" >&2
    failed=$((failed + 1))
    continue
  fi
  if ! out=$("$parley" run "$file" --samples 2000 --threads 1 --quiet 2>&1); then
    echo "FAIL: $where: example '$name': parley run --samples 2000 --threads 1 --quiet failed:" >&2
    echo "$out" | relocate "$file" "$doc" "$start" >&2
    failed=$((failed + 1))
    continue
  fi
  echo "ok: $where: $name"
  passed=$((passed + 1))
done < "$work/index.tsv"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
