-- Word count, the classic dask.bag workload, on essay.txt (next to this script): the
-- lines read as Python reads them, lowercased, split at whitespace and flattened into
-- words, then counted. The whole chain is one loop over each block of the file; the
-- counts merge in block order, so ties rank the same on any number of threads.
--   cdaskc bag_wordcount.lua -o wordcount && ./wordcount
local db = require("cdask.bag")
local lines = db.read_text("essay.txt")
local words = lines.str:lower().str:split():flatten()
db.print(lines:count(), "lines")
db.print(words:count(), "words")
db.print(words:frequencies():topk(10, function(p) return p[2] end), "top 10")
db.print(words:distinct():count(), "distinct words")
