/* seed 000's delayed functions (as examples/kernels/delayed000.c) */
double inc(double x) {
  return x + 1;
}
double dbl(double x) {
  return 2 * x;
}
double add(double x, double y) {
  return x + y;
}
