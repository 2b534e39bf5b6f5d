// The bag benchmark's DuckDB engine (@duckdb/node-api from the npm registry, installed by
// bench/bag/run.py into the ignored bench/out/npm): one task as SQL on the file, two
// threads, its answers printed as cdask's db.print prints them ("label = repr").
//
//   node engine_duckdb.js words|json|fold PATH_OR_N
//
// words: the file's lines read as one VARCHAR column (no quotes, no delimiter that occurs),
// split at runs of whitespace, counted, the 10 most frequent; json: read_json of the two
// fields the question uses, grouped by type; fold: the sum of range(n).
"use strict";

const [task, arg] = process.argv.slice(2);
const lit = (v) => (typeof v === "string" ? JSON.stringify(v) : String(v));
const pairs = (rows) => "[" + rows.map(([k, v]) => `(${lit(k)}, ${lit(v)})`).join(", ") + "]";

const SQL = {
  words: `SELECT w, count(*) AS c FROM (
            SELECT unnest(regexp_split_to_array(trim(line), '\\s+')) AS w
            FROM read_csv('${arg}', columns = {'line': 'VARCHAR'}, header = false,
                          delim = '\\x01', quote = '', escape = '', auto_detect = false))
          WHERE w <> '' GROUP BY w ORDER BY c DESC LIMIT 10`,
  json: `SELECT type, count(*) AS n, sum(size) AS s
         FROM read_json('${arg}', format = 'newline_delimited',
                        columns = {'type': 'VARCHAR', 'size': 'BIGINT'})
         GROUP BY type`,
  fold: `SELECT sum(range) AS total FROM range(${Number(arg)})`,
};

async function main() {
  const { DuckDBInstance } = require("@duckdb/node-api");
  const inst = await DuckDBInstance.create(":memory:", { threads: "2" });
  const con = await inst.connect();
  const rows = (await con.runAndReadAll(SQL[task])).getRows();
  if (task === "words") console.log("top = " + pairs(rows.map(([w, c]) => [w, Number(c)])));
  if (task === "json") {
    console.log("types = " + pairs(rows.map(([t, n]) => [t, Number(n)])));
    console.log("sizes = " + pairs(rows.map(([t, , s]) => [t, Number(s)])));
  }
  if (task === "fold") console.log("total = " + Number(rows[0][0]));
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
