-- Seed 002 (Alliance Canada's "Dask" page, single node): a frame of 2400 hourly rows split
-- into as many partitions as the job has CPUs (6), and the mean of its column, under SLURM:
--   index = pd.date_range("2021-09-01", periods=2400, freq="1H")
--   df = pd.DataFrame({"a": np.arange(2400)}, index=index)
--   ddf = dd.from_pandas(df, npartitions=6)
--   ddf.a.mean().compute()   -- 1199.5
-- No scheduler, no workers, no sleep: the job script asks SLURM for one task with 6 CPUs,
-- the program's 6 OpenMP threads:
--   cdaskc examples/seed002_slurm.lua -o dask-example --job slurm --nodes 1 \
--     --ntasks-per-node 1 --cpus-per-task 6 --mem 8000M --time 00:05:00 --account ACCOUNT
--   sbatch dask-example.sbatch
local da = require("cdask.array")
local dd = require("cdask.dataframe")

local index = dd.date_range("2021-09-01", {periods = 2400, freq = "1H"})
local ddf = dd.from_arrays({a = da.arange(2400)}, {index = index, npartitions = 6})
dd.print(ddf.a:mean(), "mean") -- 1199.5
dd.to_npy(ddf.a:mean(), "mean")
-- the index's labels select rows, inclusive at both ends, as pandas' df.loc[from:to]
dd.print(ddf:loc("2021-10-01", "2021-10-09 5:00"), "october")
