/* lua_outputs.c: what a pipeline produces: da.to_npy(x, path) and da.print(x, label). An
 * output node takes the type and shape of the array it writes. */
#include "frontend.h"

#include <string.h>

/* An output node takes the type and shape of what it writes. */
static void add_output(lua_State *L, Node *n) {
  Node *x = fe_node(L, n->in[0]);
  n->dtype = x->dtype, n->ndim = x->ndim;
  memcpy(n->shape, x->shape, sizeof n->shape);
  memcpy(n->chunk, x->chunk, sizeof n->chunk);
  fe_locate(L, n);
  graph_add(fe_ctx(L)->graph, n);
}

static int l_to_npy(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  const char *path = fe_check_string(L, 2, "to_npy: the path", true);
  size_t len = strlen(path);
  if (len == 0) fe_error(L, "to_npy: empty path");
  Frontend *fe = fe_ctx(L);
  Node n = {.op = OP_TO_NPY, .nin = 1, .in = {a->id}, .name = "to_npy"};
  /* numpy.save appends .npy when the name lacks it */
  n.str = len >= 4 && strcmp(path + len - 4, ".npy") == 0
              ? arena_strdup(fe->graph->arena, path)
              : arena_printf(fe->graph->arena, "%s.npy", path);
  char why[256];
  if (cdrt_output_name_problem(n.str, why, sizeof why) != 0)
    fe_error(L, "to_npy: '%s' %s", n.str, why);
  for (int i = 0; i < fe->graph->noutputs; i++) {
    Node *o = &fe->graph->nodes[fe->graph->outputs[i]];
    if (o->op == OP_TO_NPY && strcmp(o->str, n.str) == 0)
      fe_error(L, "%s is already written by line %d", n.str, o->line);
  }
  const Tables *t = &fe->graph->tables; /* dd.to_csv and dd.to_npy */
  for (int i = 0; i < t->nout; i++)
    if ((t->out[i].csv || t->out[i].npy) && strcmp(t->out[i].str, n.str) == 0)
      fe_error(L, "%s is already written by line %d", n.str, t->out[i].line);
  add_output(L, &n);
  return 0;
}

static int l_print(lua_State *L) {
  LArray *a = fe_check_array(L, 1);
  const char *label =
      lua_isnoneornil(L, 2) ? "result" : fe_check_string(L, 2, "da.print: the label", true);
  Frontend *fe = fe_ctx(L);
  if (dtype_is_complex(fe_node(L, a->id)->dtype))
    fe_error(L, "da.print does not print complex arrays yet: write them with da.to_npy, or "
                "print da.real(x) and da.imag(x)");
  Node n = {.op = OP_PRINT, .nin = 1, .in = {a->id}, .name = "print"};
  n.str = arena_strdup(fe->graph->arena, label);
  add_output(L, &n);
  return 0;
}

static const luaL_Reg functions[] = {{"to_npy", l_to_npy}, {"print", l_print}, {NULL, NULL}};

void fe_open_outputs(lua_State *L, const FeTables *t) {
  fe_add_functions(L, t->module, functions);
}
