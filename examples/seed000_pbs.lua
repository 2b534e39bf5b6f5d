-- Seed 000's PBS script (the Centrale-Supelec "fusion" cluster), with a cdask program in
-- place of `python simple.py`: the seed's walltime, select, mail (-M, -m be), job name,
-- join (-j oe) and project (-P gpi) lines, and its `module load`. The job builds the
-- program on the cluster from the emitted C (--job-build) and runs it with mpiexec:
--   cdaskc examples/seed000_pbs.lua -o ask_seq --job pbs --nodes 1 --ntasks-per-node 1 \
--     --cpus-per-task 4 --mem 8gb --time 00:20:00 --mail-user USER@l2s.centralesupelec.fr \
--     --mail-type be --job-name ask_seq --project gpi --job-build --module gcc
--   qsub ask_seq.pbs
-- The pipeline: the seed's first array example, the sum of a 1000 x 4000 array of ones.
local da = require("cdask.array")

local ones = da.ones({1000, 4000}, {chunks = {1000, 1000}})
da.print(ones:sum(), "sum_of_ones") -- 4000000.0
