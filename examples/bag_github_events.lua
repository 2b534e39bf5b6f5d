-- A JSON-lines aggregation in the style of Dask's GitHub-archive demo, on events.jsonl
-- (next to this script): the records' fields and types are read from the file while
-- compiling, and the program converts only the fields the pipeline uses.
--   cdaskc bag_github_events.lua -o events && ./events
local db = require("cdask.bag")
local events = db.read_json_lines("events.jsonl")
db.print(events:pluck("type"):frequencies(true), "event types")
db.print(events:foldby("repo", function(total, e) return total + e.commits end, 0,
                       function(a, b) return a + b end, 0), "commits by repo")
local pushes = events:filter(function(e) return e.type:eq("PushEvent") end)
db.print(pushes:pluck("actor"):distinct(), "actors who pushed")
db.print(pushes:pluck("commits"):mean(), "mean commits per push")
