#!/bin/bash
# frontend/dag.sh [BUILD]: the calls between the frontend's files, read from the symbols of
# their object files (BUILD, default build, after `cmake --build BUILD --target cdaskc`):
# one line "file -> the files it calls" each, then whether the graph is a DAG (tsort).
# Exit 1 on a cycle. frontend/README.md shows the graph it prints.
set -e
here=$(cd "$(dirname "$0")" && pwd)
objs=${1:-build}/CMakeFiles/cdaskc_core.dir/frontend
declare -A defined_in
files=()
for src in "$here"/*.c; do
  f=$(basename "$src" .c)
  [ -f "$objs/$f.c.o" ] || { echo "no $objs/$f.c.o: build cdaskc first" >&2; exit 2; }
  files+=("$f")
  for s in $(nm --defined-only "$objs/$f.c.o" | awk '$2 ~ /^[TDRB]$/ {print $3}'); do
    defined_in[$s]=$f
  done
done
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
for f in "${files[@]}"; do
  calls=$(for s in $(nm -u "$objs/$f.c.o" | awk '{print $2}'); do
            g=${defined_in[$s]:-}
            [ -n "$g" ] && [ "$g" != "$f" ] && echo "$g"
          done | sort -u)
  echo "$f -> $(echo $calls)"
  echo "$f $f" >>"$edges"
  for g in $calls; do echo "$f $g" >>"$edges"; done
done
if tsort "$edges" >/dev/null 2>&1; then echo "no cycle"; else tsort "$edges" 2>&1 >/dev/null | head -5; exit 1; fi
