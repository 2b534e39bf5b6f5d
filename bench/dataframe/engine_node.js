// DuckDB or Polars (from the npm registry, installed by bench/dataframe/run.py into
// bench/out/npm) answering db-benchmark questions from the CSV:
//
//   node engine_node.js duckdb|polars CSV 'JSON of {name: [keys, [[column, agg], ...]]}'
//   node engine_node.js duckdb|polars join 'JSON of files' 'JSON of {name: [side, how, key]}'
//   node engine_node.js duckdb|polars seed CSV 'JSON of {name: {read, duckdb, polars}}'
//
// gives each engine its best way from the CSV to the answers: one question is one query on
// the file (DuckDB: SELECT ... FROM read_csv(...); Polars: scanCSV(...).groupBy(...), both
// reading only the columns it needs); several read those columns once into the engine's
// table, then answer each. Prints one JSON line as engine_py.py does.
// Two threads each: DuckDB's threads setting, Polars' POLARS_MAX_THREADS (set by run.py).
"use strict";

const [engine, csv, spec] = process.argv.slice(2);
const questions = csv === "join" || csv === "seed" ? {} : JSON.parse(spec);

function checksum(columns) {
  return columns.map((col) => col.reduce((s, v) => s + Number(v), 0));
}

// a question is [keys, [[column, agg], ...]], or an advanced one (queries.py's ADVANCED):
// {keys, read, duckdb: SQL over {t}, polars: JavaScript over x}
const names = Object.keys(questions);
const advanced = (q) => !Array.isArray(q);
const needed = [...new Set(names.flatMap((n) => advanced(questions[n]) ? questions[n].read
  : [...questions[n][0], ...questions[n][1].map((a) => a[0])]))];

// rows and checksum of an answer: its columns that are no key, summed (nulls and NaNs out)
function answerOf(columns, keys, height) {
  const cols = columns.filter(([c]) => !keys.includes(c)).map(([, v]) =>
    v.filter((x) => x !== null && x === x));
  return { rows: height, chk: checksum(cols) };
}

// rows and checksum of DuckDB's materialized result r, read a chunk at a time (q10's 10^7
// rows as JavaScript values at once would exhaust Node's heap)
async function duckAnswer(r, keys) {
  const cn = r.columnNames(), sums = cn.map(() => 0);
  let rows = 0;
  for (let c = await r.fetchChunk(); c && c.rowCount > 0; c = await r.fetchChunk()) {
    rows += c.rowCount;
    c.getColumns().forEach((col, k) => {
      for (const v of col) if (v !== null && Number(v) === Number(v)) sums[k] += Number(v);
    });
  }
  return { rows, chk: sums.filter((_, k) => !keys.includes(cn[k])) };
}

async function duckdb() {
  const { DuckDBInstance } = require("@duckdb/node-api");
  const t0 = performance.now();
  const inst = await DuckDBInstance.create(":memory:", { threads: "2" });
  const con = await inst.connect();
  let table = `read_csv('${csv}')`;
  if (names.length > 1) {
    await con.run(`CREATE TABLE x AS SELECT ${needed.join(", ")} FROM ${table}`);
    table = "x";
  }
  const t1 = performance.now();
  const out = {};
  for (const [name, q] of Object.entries(questions)) {
    if (advanced(q)) {
      out[name] = await duckAnswer(await con.run(q.duckdb.replaceAll("{t}", table)), q.keys);
      continue;
    }
    const [keys, aggs] = q;
    const sel = aggs.map(([c, a]) => `${a === "mean" ? "avg" : a}(${c}) AS ${c}`).join(", ");
    const r = await con.runAndReadAll(
      `SELECT ${keys.join(", ")}, ${sel} FROM ${table} GROUP BY ${keys.join(", ")}`);
    const rows = r.getRows();
    const cols = aggs.map((_, k) => rows.map((row) => row[keys.length + k]));
    out[name] = { rows: rows.length, chk: checksum(cols) };
  }
  const t2 = performance.now();
  return { read: (t1 - t0) / 1000, questions: (t2 - t1) / 1000, answers: out };
}

function polars() {
  const pl = require("nodejs-polars");
  const t0 = performance.now();
  const x = names.length > 1 ? pl.scanCSV(csv).select(...needed).collectSync() : null;
  const t1 = performance.now();
  const out = {};
  for (const [name, q] of Object.entries(questions)) {
    if (advanced(q)) { /* eslint-disable-next-line no-eval */
      const ans = eval(`(x) => ${q.polars}`)(x ? x.lazy() : pl.scanCSV(csv)).collectSync();
      out[name] = answerOf(ans.columns.map((c) => [c, ans.getColumn(c).toArray()]), q.keys,
        ans.height);
      continue;
    }
    const [keys, aggs] = q;
    const exprs = aggs.map(([c, a]) => pl.col(c)[a]().alias(c));
    const ans = x ? x.groupBy(keys).agg(...exprs)
                  : pl.scanCSV(csv).groupBy(keys).agg(...exprs).collectSync();
    out[name] = {
      rows: ans.height,
      chk: checksum(aggs.map(([c]) => ans.getColumn(c).toArray())),
    };
  }
  const t2 = performance.now();
  return { read: (t1 - t0) / 1000, questions: (t2 - t1) / 1000, answers: out };
}

// The join questions: node engine_node.js duckdb|polars join FILES_JSON JOINS_JSON, with
// FILES {"x": CSV, "small": CSV, ...} and JOINS {name: [side, how, key]}; each answer is
// its rows and the sums of v1 and v2. One question joins the files; several read x and
// the right sides once into the engine's tables first.
async function duckdbJoin(files, joins) {
  const { DuckDBInstance } = require("@duckdb/node-api");
  const t0 = performance.now();
  const inst = await DuckDBInstance.create(":memory:", { threads: "2" });
  const con = await inst.connect();
  const sides = [...new Set(Object.values(joins).map((j) => j[0]))];
  const table = {};
  for (const t of ["x", ...sides]) {
    table[t] = `read_csv('${files[t]}')`;
    if (Object.keys(joins).length > 1) {
      await con.run(`CREATE TABLE ${t} AS SELECT * FROM ${table[t]}`);
      table[t] = t;
    }
  }
  const t1 = performance.now();
  const out = {};
  for (const [name, [side, how, key]] of Object.entries(joins)) {
    const r = await con.runAndReadAll(
      `SELECT count(*), sum(v1), sum(v2) FROM ${table.x} AS x ${how === "left" ? "LEFT" : "INNER"} ` +
        `JOIN ${table[side]} AS r USING (${key})`);
    const row = r.getRows()[0];
    out[name] = { rows: Number(row[0]), chk: [Number(row[1]), Number(row[2])] };
  }
  const t2 = performance.now();
  return { read: (t1 - t0) / 1000, questions: (t2 - t1) / 1000, answers: out };
}

function polarsJoin(files, joins) {
  const pl = require("nodejs-polars");
  const t0 = performance.now();
  const many = Object.keys(joins).length > 1;
  const sides = [...new Set(Object.values(joins).map((j) => j[0]))];
  const frame = {};
  for (const t of ["x", ...sides]) frame[t] = many ? pl.readCSV(files[t]) : pl.scanCSV(files[t]);
  const t1 = performance.now();
  const out = {};
  for (const [name, [side, how, key]] of Object.entries(joins)) {
    const j = frame.x.join(frame[side], { on: key, how: how });
    const sel = j.select(pl.col("v1").count().alias("n"), pl.col("v1").sum().alias("v1"),
                         pl.col("v2").sum().alias("v2"));
    const ans = many ? sel : sel.collectSync();
    out[name] = {
      rows: Number(ans.getColumn("n").toArray()[0]),
      chk: [Number(ans.getColumn("v1").toArray()[0]), Number(ans.getColumn("v2").toArray()[0])],
    };
  }
  const t2 = performance.now();
  return { read: (t1 - t0) / 1000, questions: (t2 - t1) / 1000, answers: out };
}

// The seed's operations (queries.py's SEED): node engine_node.js duckdb|polars seed CSV
// SEED_JSON, each answer a one-row result whose values, in order, are its checksum. One
// operation queries the file; several read the columns they need once first.
async function duckdbSeed(file, ops) {
  const { DuckDBInstance } = require("@duckdb/node-api");
  const t0 = performance.now();
  const inst = await DuckDBInstance.create(":memory:", { threads: "2" });
  const con = await inst.connect();
  let table = `read_csv('${file}')`;
  if (Object.keys(ops).length > 1) {
    const cols = [...new Set(Object.values(ops).flatMap((o) => o.read))];
    await con.run(`CREATE TABLE x AS SELECT ${cols.map((c) => `"${c}"`).join(", ")} FROM ${table}`);
    table = "x";
  }
  const t1 = performance.now();
  const out = {};
  for (const [name, o] of Object.entries(ops)) {
    const row = (await con.runAndReadAll(o.duckdb.replaceAll("{t}", table))).getRows()[0];
    out[name] = { rows: 0, chk: row.map(Number) };
  }
  const t2 = performance.now();
  return { read: (t1 - t0) / 1000, questions: (t2 - t1) / 1000, answers: out };
}

function polarsSeed(file, ops) {
  const pl = require("nodejs-polars");
  const t0 = performance.now();
  const many = Object.keys(ops).length > 1;
  const cols = [...new Set(Object.values(ops).flatMap((o) => o.read))];
  const x = many ? pl.scanCSV(file).select(...cols).collectSync() : pl.scanCSV(file);
  const t1 = performance.now();
  const out = {};
  for (const [name, o] of Object.entries(ops)) { /* eslint-disable-next-line no-eval */
    const r = eval(`(x) => ${o.polars}`)(x);
    const ans = many ? r : r.collectSync();
    out[name] = { rows: 0, chk: ans.columns.map((c) => Number(ans.getColumn(c).toArray()[0])) };
  }
  const t2 = performance.now();
  return { read: (t1 - t0) / 1000, questions: (t2 - t1) / 1000, answers: out };
}

(async () => {
  let r;
  if (csv === "seed") {
    const [file, ops] = [spec, JSON.parse(process.argv[5])];
    r = engine === "duckdb" ? await duckdbSeed(file, ops) : polarsSeed(file, ops);
  } else if (csv === "join") {
    const [files, joins] = [JSON.parse(spec), JSON.parse(process.argv[5])];
    r = engine === "duckdb" ? await duckdbJoin(files, joins) : polarsJoin(files, joins);
  } else {
    r = engine === "duckdb" ? await duckdb() : polars();
  }
  console.log(JSON.stringify(r));
})();
