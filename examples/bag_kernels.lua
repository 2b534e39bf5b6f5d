-- C kernels as bag functions, on events.jsonl (next to this script): the kernels of
-- kernels/bag_events.c are called on each record's fields in the program's one scan.
--   cdaskc bag_kernels.lua -o kernels && ./kernels
local db = require("cdask.bag")
local cd = require("cdask")
local k = cd.cfile("kernels/bag_events.c")
local events = db.read_json_lines("events.jsonl")
local active = events:filter(function(e) return k.active(e.commits) end)
db.print(active:count(), "active events")
db.print(active:map(function(e) return k.weight(e.commits, e.public) end):sum(), "total weight")
db.print(events:foldby("repo", function(t, e) return t + k.weight(e.commits, e.public) end, 0,
                       function(a, b) return a + b end, 0), "weight by repo")
