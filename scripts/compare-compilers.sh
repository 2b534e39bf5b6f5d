#!/usr/bin/env bash
# shellcheck disable=SC2317  # cleanup and on_signal run from traps
# The check that a refactor changed no output bit: compiles every pipeline of the test
# corpus with two compilers, runs both programs the same way and compares every output
# file, their stdout, and cdaskc's --explain, --dump-after=PASS and graph-dump texts.
#
#   scripts/compare-compilers.sh [-j N] [--only TEXT]... [--passes "P..."] [--keep] OLD [NEW]
#
# OLD and NEW are each a build directory holding cdaskc, or a git ref (commit, branch, tag)
# of this repository, which is then built (git archive into a temporary directory, cmake
# Release, target cdaskc only) and removed afterwards. NEW defaults to this repository's
# build/. The corpus is this checkout's: examples/ (with make_ska_inputs.py's inputs),
# bench/pipelines/ (the rows too slow to run are only compiled), tests/pipelines/ (with
# their oracles' inputs and ARGS), tests/differential/, tests/dumps/, the
# test_differential.py CI programs (seed 1), the complete scripts written in
# tests/py/test_*.py, and tests/errors/ (exit code and message only).
# scripts/compare_compilers.py says what is compared.
#
#   -j N        cases run at once (default 2)
#   --only TEXT only the cases whose id (e.g. pipelines/power) contains TEXT; repeatable
#   --passes    the --dump-after passes compared (default: frontend simplify hermitian cull fuse)
#   --keep      keep the directories of the cases that differ (then the temporary
#               directory is kept too, and its path printed)
#
# Prints one line per case (same / DIFFERENT: which outputs / ERROR: why) and a summary.
# Exit code: 0 when everything is the same, 1 when anything differs (or a case could not be
# run), 2 on a usage error or when a ref does not build. Writes only inside one mktemp -d
# directory, removed on exit and on SIGINT, SIGTERM and SIGHUP.
set -uo pipefail

usage() {
  echo "usage: scripts/compare-compilers.sh [-j N] [--only TEXT]... [--passes \"P...\"] [--keep] OLD [NEW]" >&2
  [ $# -gt 0 ] && echo "compare-compilers.sh: $*" >&2
  exit 2
}

root=$(cd "$(dirname "$0")/.." && pwd)
jobs=2
keep=0
helper_args=()
pos=()
while [ $# -gt 0 ]; do
  case $1 in
  -j) [ $# -ge 2 ] || usage "-j needs a number"; jobs=$2; shift ;;
  -j*) jobs=${1#-j} ;;
  --jobs=*) jobs=${1#--jobs=} ;;
  --only) [ $# -ge 2 ] || usage "--only needs a text"; helper_args+=(--only "$2"); shift ;;
  --passes) [ $# -ge 2 ] || usage "--passes needs a list"; helper_args+=(--passes "$2"); shift ;;
  --keep) keep=1; helper_args+=(--keep) ;;
  -h | --help) sed -n '3,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
  --) shift; pos+=("$@"); break ;;
  -*) usage "unknown option $1" ;;
  *) pos+=("$1") ;;
  esac
  shift
done
[[ $jobs =~ ^[1-9][0-9]{0,2}$ ]] || usage "-j wants a number from 1 to 999, not '$jobs'"
if [ ${#pos[@]} -lt 1 ] || [ ${#pos[@]} -gt 2 ]; then usage "give OLD and optionally NEW"; fi
old_arg=${pos[0]}
new_arg=${pos[1]:-$root/build}

# What an argument names: "dir" (a build directory), "ref" (a commit of this repository).
kind_of() {
  if [ -d "$1" ]; then
    [ -x "$1/cdaskc" ] || usage "$1 is a directory without an executable cdaskc"
    echo dir
  elif git -C "$root" rev-parse --verify --quiet "$1^{commit}" >/dev/null; then
    echo ref
  else
    usage "'$1' is neither a build directory holding cdaskc nor a git ref of $root"
  fi
}
old_kind=$(kind_of "$old_arg") || exit 2
new_kind=$(kind_of "$new_arg") || exit 2

work=$(mktemp -d "${TMPDIR:-/tmp}/cdask-compare.XXXXXX") || exit 2
child=""

cleanup() {
  if [ -n "$child" ]; then # its own process group: cmake/make/cc, or the helper's jobs
    kill -TERM -- "-$child" 2>/dev/null
    wait "$child" 2>/dev/null
    child=""
  fi
  if [ "$keep" = 1 ] && [ -n "$(ls -A "$work/cases" 2>/dev/null)" ]; then
    echo "kept $work" >&2
  else
    rm -rf "$work"
  fi
}
on_signal() {
  trap - INT TERM HUP
  cleanup
  trap - EXIT
  kill -s "$1" $$
}
trap cleanup EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP

# Runs "$@" in a process group of its own, in the background, so that a signal reaches
# the trap at once and cleanup can stop the whole group.
in_group() {
  setsid "$@" &
  child=$!
  wait "$child"
  local rc=$?
  child=""
  return $rc
}

# Sets compiler to the cdaskc for argument $1 of kind $2 (label $3 names its directories).
# Not run in a $(...) subshell: the traps must see the build's process group.
compiler_for() {
  if [ "$2" = dir ]; then
    compiler=$(cd "$1" && pwd)/cdaskc
    return
  fi
  local commit src=$work/$3-src bld=$work/$3-build log=$work/$3-build.log
  commit=$(git -C "$root" rev-parse --verify "$1^{commit}")
  mkdir -p "$src"
  echo "building $1 (${commit:0:10}) in $bld" >&2
  git -C "$root" archive --format=tar "$commit" | tar -x -C "$src" || return 1
  if ! in_group cmake -S "$src" -B "$bld" -DCMAKE_BUILD_TYPE=Release >"$log" 2>&1 ||
    ! in_group cmake --build "$bld" -j"$jobs" --target cdaskc >>"$log" 2>&1; then
    tail -20 "$log" >&2
    return 1
  fi
  compiler=$bld/cdaskc
}

compiler_for "$old_arg" "$old_kind" old || usage "building $old_arg failed"
old_cc=$compiler
compiler_for "$new_arg" "$new_kind" new || usage "building $new_arg failed"
new_cc=$compiler
echo "OLD: $old_arg ($old_cc)"
echo "NEW: $new_arg ($new_cc)"

mkdir -p "$work/tmp"
TMPDIR=$work/tmp in_group /usr/bin/python3 "$root/scripts/compare_compilers.py" -j "$jobs" \
  "${helper_args[@]}" "$work" "$old_cc" "$new_cc"
exit $?
