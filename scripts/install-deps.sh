#!/usr/bin/env bash
# Installs the Debian packages cdask needs that are missing (run as root, or with sudo).
set -euo pipefail
# graphviz: `dot` for cdaskc --visualize; chromium: only for the report's tests (headless);
# openmpi-bin, libopenmpi-dev: MPI programs (cdaskc --mpi) and the job scripts' tests;
# slurm-wlm, slurm-client, munge: only for the tests, which start their own one-machine
# SLURM (tests/py/slurm_cluster.py; no system service is configured or started);
# python3-pandas: the dataframe tests' oracle; zlib1g-dev: gzip input (db.read_text);
# libunistring-dev: Unicode's case mappings (str.lower, str.upper); libpcre2-dev: regular
# expressions (str.contains, str.match, str.replace)
packages=(build-essential cmake pkg-config liblua5.4-dev libsleef-dev libfftw3-dev nettle-dev
  zlib1g-dev libunistring-dev libpcre2-dev clang libclang-rt-14-dev libclang-14-dev libomp-dev python3-numpy
  python3-pandas python3-dask graphviz chromium openmpi-bin libopenmpi-dev slurm-wlm slurm-client munge)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
