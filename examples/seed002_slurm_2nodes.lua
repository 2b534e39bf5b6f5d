-- Seed 002 (Alliance Canada's "Dask" page), several nodes: the single-node example
-- (seed002_slurm.lua) on a Dask cluster of two nodes with two worker processes of 3 CPUs
-- each. Dask's job starts a scheduler, sleeps 10 s, starts the workers with srun, sleeps
-- 10 s more, then runs the client. Here the program is an MPI program (--mpi): srun starts
-- its 4 ranks, 2 per node, each with 3 OpenMP threads, and nothing else runs in the job:
--   cdaskc examples/seed002_slurm_2nodes.lua -o dask-example --mpi --job slurm --nodes 2 \
--     --ntasks-per-node 2 --cpus-per-task 3 --mem 16000M --time 00:30:00 --account ACCOUNT
--   sbatch dask-example.sbatch
-- Each rank computes its share of the column, the ranks exchange the shares, and each
-- scans the frame's 6 partitions (the frame's blocks are not yet split over ranks); the
-- mean is the single-node program's, bit for bit; rank 0 prints it and writes mean.npy.
local da = require("cdask.array")
local dd = require("cdask.dataframe")

local index = dd.date_range("2021-09-01", {periods = 2400, freq = "1H"})
local ddf = dd.from_arrays({a = da.arange(2400, {chunks = 400})}, {index = index, npartitions = 6})
dd.print(ddf.a:mean(), "mean") -- 1199.5
dd.to_npy(ddf.a:mean(), "mean")
