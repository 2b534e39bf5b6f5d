/* gen_squad.c: a squad-like CSV of N rows for the seed's dataframe operations (seed 000,
 * examples/staderennais.csv's columns): Numero (1..99), Nom (a first and a last name, some
 * with accents), Age (17..38, most in the twenties), Pays_(origine) (France for half the
 * rows, the rest from 15 countries, several with accents or a space), ClubOrigine
 * (Stade_de_Rennes for a third of the rows, else one of 15 clubs) and DebutContrat (a date
 * from 2008 to 2024). No quotes and no missing values, like the seed's file. The values
 * come from a seeded xorshift, so the file is the same on every machine.
 *
 *   gen_squad N OUT.csv */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "gen_random.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *first[] = {
    "Tomas",   "Romain",  "Ludovic", "Mehdi",  "Damien", "Joris",   "Hamari",  "Benjamin",
    "Clément", "James",   "Faitout", "Adrien", "Jérémy", "Wesley",  "Sehrou",  "Ismaïla",
    "Yann",    "Eduardo", "Hatem",   "Mbaye",  "Rafik",  "Jordan",  "Théoden", "Yoann",
    "Ramy",    "Sacha",   "Lucas",   "Benoît", "Kévin",  "Raphaël", "Gaëtan",  "Édouard",
    "Loïc",    "Ousmane", "Mathys",  "Warmed", "Steven", "Jérôme",  "Nayef",   "Désiré"};
static const char *last[] = {
    "Koubek",     "Salin",   "Butelle",    "Zeffane",   "Da Silva", "Gnagnon",    "Traoré",
    "André",      "Grenier", "Lea Siliki", "Maouassa",  "Hunou",    "Gelin",      "Said",
    "Guirassy",   "Sarr",    "M'Vila",     "Camavinga", "Ben Arfa", "Niang",      "Khazri",
    "Siebatcheu", "Léa",     "Bensebaini", "Gboho",     "Boey",     "Bourigeaud", "Del Castillo",
    "Doku",       "Tait",    "Martin",     "Lefèvre",   "Müller",   "Nørgaard",   "Çalhanoğlu",
    "Gómez",      "Dupré",   "Rousseau",   "Hélène",    "Brück"};
static const char *pays[] = {
    "Brésil", "Sénégal", "Côte d'Ivoire", "Maroc",    "Algérie", "Portugal",           "Belgique",
    "Suisse", "Mali",    "Cameroun",      "Danemark", "Suède",   "République tchèque", "Tunisie",
    "Guinée"};
static const char *club[] = {"Montpellier", "Nice",     "Lyon",          "Lille",
                             "Nantes",      "Bordeaux", "Saint-Étienne", "Toulouse",
                             "Guingamp",    "Lorient",  "Brest",         "Angers",
                             "Le_Havre",    "Caen",     "Valenciennes"};

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: gen_squad N OUT.csv\n");
    return 2;
  }
  long long n = atoll(argv[1]);
  if (n <= 0) {
    fprintf(stderr, "gen_squad: N must be positive\n");
    return 2;
  }
  gen_state = 35; /* a fixed seed */
  FILE *f = gen_open(argv[2]);
  if (!f) return 1;
  fputs("Numero,Nom,Age,Pays_(origine),ClubOrigine,DebutContrat\n", f);
  for (long long i = 0; i < n; i++) {
    int numero = 1 + (int)below(99);
    int age = 17 + (int)((below(12) + below(12)) % 22); /* a peak in the twenties */
    const char *p = below(2) ? "France" : pays[below(COUNT(pays))];
    const char *c = below(3) == 0 ? "Stade_de_Rennes" : club[below(COUNT(club))];
    int year = 2008 + (int)below(17);
    const char *day = below(4) ? "07-01" : "01-31";
    fprintf(f, "%d,%s %s,%d,%s,%s,%d-%s\n", numero, first[below(COUNT(first))],
            last[below(COUNT(last))], age, p, c, year, day);
  }
  if (fclose(f) != 0) {
    perror(argv[2]);
    return 1;
  }
  return 0;
}
