"""Runs one libFuzzer target of tests/fuzz for a short fixed budget on its committed seed
corpus (CTest label `fuzz`): python3 run_fuzz.py TARGET [SECONDS].

Environment (set by CTest): CDASK_FUZZ_BIN (the directory holding the fuzz_* executables,
built with clang by tests/CMakeLists.txt) and CDASK_SOURCE. CDASK_FUZZ_SECONDS overrides
the budget. New corpus entries go to a temporary directory that is removed afterwards;
on a finding the log's report and the failing input (base64, and its path under
CDASK_FUZZ_KEEP if that is set) are printed and the test fails."""

import base64
import glob
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("CDASK_SOURCE") or os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("CDASK_FUZZ_BIN") or os.path.join(SRC, "build", "tests", "fuzz")


def main():
    target = sys.argv[1]
    seconds = int(os.environ.get("CDASK_FUZZ_SECONDS") or (sys.argv[2] if len(sys.argv) > 2
                                                            else 8))
    exe = os.path.join(BIN, target)
    seeds = os.path.join(HERE, "corpus", target)
    work = tempfile.mkdtemp(prefix="cdask_fuzz_%s_" % target)
    try:
        new = os.path.join(work, "corpus")
        os.mkdir(new)
        cmd = [exe, new, seeds, "-seed=1", "-max_total_time=%d" % seconds, "-timeout=20",
               "-rss_limit_mb=2048", "-artifact_prefix=%s/" % work, "-print_final_stats=1"]
        d = os.path.join(HERE, target + ".dict")
        if os.path.exists(d):
            cmd.append("-dict=" + d)
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           errors="replace", timeout=seconds + 120)
        runs = [l for l in r.stdout.splitlines() if l.startswith("stat::number_of_executed_units")]
        print("%s: exit %d, %s" % (target, r.returncode, runs[0] if runs else "no stats"))
        if r.returncode == 0:
            print("ok fuzz.%s" % target)
            return 0
        lines = r.stdout.splitlines()
        start = next((i for i, l in enumerate(lines) if "ERROR" in l or "runtime error" in l
                      or "==ERROR" in l), max(0, len(lines) - 60))
        print("\n".join(lines[start:start + 60]))
        for art in glob.glob(os.path.join(work, "*-*")):
            with open(art, "rb") as f:
                data = f.read()
            print("failing input %s (%d bytes), base64: %s" % (
                os.path.basename(art), len(data), base64.b64encode(data).decode()))
            keep = os.environ.get("CDASK_FUZZ_KEEP")
            if keep:
                os.makedirs(keep, exist_ok=True)
                shutil.copy(art, keep)
                print("kept in", os.path.join(keep, os.path.basename(art)))
        print("FAIL fuzz.%s" % target)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
