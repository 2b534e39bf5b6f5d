-- Seed 000 (a Dask tutorial, its dask.dataframe part) on a synthetic squad of the Stade
-- Rennais (staderennais.csv, next to this script): every line of the tutorial, as cdask
-- writes it. The file's columns and their types are read when cdaskc compiles the script
-- (print(df) shows them); the program reads the file once and computes every output in
-- that one pass. Outputs print as pandas prints them.
--   cdaskc seed000_dataframe.lua -o squad && ./squad
local dd = require("cdask.dataframe")

local df = dd.read_csv("staderennais.csv") -- df = dd.read_csv('staderennais.csv')
print(df) -- the structure: columns, dtypes (at compile time)

dd.print(df:head(5), "head") -- df.head()
dd.print(df, "squad") -- df.compute()
dd.print(df:mean(), "means") -- df.mean().compute(): the numeric columns
dd.print(df.Age:mean(), "mean_age") -- df.Age.mean().compute()
dd.print(df:loc(df["Numero"]:eq(1)), "numero_1") -- df.loc[df['Numero']==1]
dd.print(df:iloc(nil, 1), "first_column") -- df.iloc[:,1] (0-based, as pandas)
dd.print(df.DebutContrat, "debut_contrat") -- df.DebutContrat.compute()
dd.print(df.Age:max(), "max_age") -- df.Age.max().compute()
dd.print(df.Age:value_counts(), "ages") -- df.Age.value_counts().compute()
dd.print(df:loc(df["ClubOrigine"]:eq("Stade_de_Rennes")), "from_rennes")
dd.print(df:loc(df["Pays_(origine)"]:ne("France")), "not_from_france")
