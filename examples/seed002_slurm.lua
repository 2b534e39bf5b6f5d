-- Seed 002 (Alliance Canada's "Dask" page, single node): a column of 2400 numbers split
-- into as many partitions as the job has CPUs (6), and its mean, run under SLURM.
--   ddf = dd.from_pandas(pd.DataFrame({"a": np.arange(2400)}), npartitions=6)
--   ddf.a.mean().compute()   -- 1199.5
-- As arrays until cdask has dataframes: no scheduler, no workers, no sleep; the job script
-- asks SLURM for one task with 6 CPUs, the program's 6 OpenMP threads:
--   cdaskc examples/seed002_slurm.lua -o dask-example --job slurm --nodes 1 \
--     --ntasks-per-node 1 --cpus-per-task 6 --mem 8000M --time 00:05:00 --account ACCOUNT
--   sbatch dask-example.sbatch
local da = require("cdask.array")

local a = da.arange(2400, {chunks = 400}) -- 6 partitions of 400 rows
da.print(a:mean(), "mean") -- 1199.5
da.to_npy(a:mean(), "mean")
