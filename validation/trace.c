/* Paje trace of a replay (see trace.h). SimGrid 3.32's own tracing cannot give it: its
 * platform topology graph aborts on SPLITDUPLEX links ("container with name ..._DOWN not
 * found"), it never attaches a category to a mailbox communication (so per-category
 * bandwidth stays empty), and mvm loads the platform in its own process before forking the
 * simulation, so SimGrid's trace file would be opened by one process and written by
 * another. The plugin reports each transfer of a migration (mvm_precopy_set_round_callback)
 * and this file draws it on the links of the migration's route, as SimGrid's categorized
 * tracing would: one variable type per migration (named after the VM), in bytes/s, on a
 * container per link direction (the network view's elements). A transfer is drawn at its
 * mean rate (bytes over its duration, latency included). */
#include "trace.h"
#include "mvm/io.h"

#include <math.h>
#include <simgrid/host.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct tr_event {
  double t;
  double rate; /* bytes/s, negative at the end */
  int vm;
  size_t seq;
} tr_event;

struct mvm_trace {
  const mvm_scenario* sc;
  const mvm_netview* nv;
  tr_event* ev;
  size_t n, cap;
  int oom;
};

mvm_trace* mvm_trace_new(const mvm_scenario* sc, const mvm_netview* nv)
{
  mvm_trace* t = calloc(1, sizeof *t);
  if (t) {
    t->sc = sc;
    t->nv = nv;
  }
  return t;
}

void mvm_trace_free(mvm_trace* t)
{
  if (t)
    free(t->ev);
  free(t);
}

static int push(mvm_trace* t, double time, double rate, int vm)
{
  if (t->n == t->cap) {
    size_t c = t->cap ? 2 * t->cap : 1024;
    tr_event* e = realloc(t->ev, c * sizeof *e);
    if (!e)
      return -1;
    t->ev = e;
    t->cap = c;
  }
  t->ev[t->n] = (tr_event){time, rate, vm, t->n};
  t->n++;
  return 0;
}

void mvm_trace_round(sg_vm_t vm, sg_host_t src, sg_host_t dst, double start, double end, double bytes, void* data)
{
  (void)src;
  (void)dst;
  mvm_trace* t = data;
  int v = mvm_scenario_find_vm(t->sc, sg_host_get_name((sg_host_t)vm));
  if (v < 0 || !(end > start) || !(bytes > 0) || (size_t)v >= t->nv->nroutes)
    return;
  double rate = bytes / (end - start);
  if (push(t, start, rate, v) || push(t, end, -rate, v))
    t->oom = 1;
}

static int cmp_event(const void* a, const void* b)
{
  const tr_event *x = a, *y = b;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char header[] =
    "%EventDef PajeDefineContainerType 0\n%       Alias string\n%       Type string\n%       Name string\n%EndEventDef\n"
    "%EventDef PajeDefineVariableType 1\n%       Alias string\n%       Type string\n%       Name string\n"
    "%       Color color\n%EndEventDef\n"
    "%EventDef PajeCreateContainer 2\n%       Time date\n%       Alias string\n%       Type string\n"
    "%       Container string\n%       Name string\n%EndEventDef\n"
    "%EventDef PajeDestroyContainer 3\n%       Time date\n%       Type string\n%       Name string\n%EndEventDef\n"
    "%EventDef PajeSetVariable 4\n%       Time date\n%       Type string\n%       Container string\n"
    "%       Value double\n%EndEventDef\n"
    "%EventDef PajeAddVariable 5\n%       Time date\n%       Type string\n%       Container string\n"
    "%       Value double\n%EndEventDef\n"
    "%EventDef PajeSubVariable 6\n%       Time date\n%       Type string\n%       Container string\n"
    "%       Value double\n%EndEventDef\n";

int mvm_trace_write(mvm_trace* t, const char* path, double end, mvm_error* err)
{
  if (t->oom)
    return mvm_err_set(err, MVM_ENOMEM, "out of memory while tracing the replay");
  const mvm_netview* nv = t->nv;
  const mvm_scenario* sc = t->sc;
  /* the VMs and link directions that appear, in scenario and element order */
  unsigned char* vm_used = calloc(sc->nvms + 1, 1);
  unsigned char* link_used = calloc(nv->nelems + 1, 1);
  if (!vm_used || !link_used) {
    free(vm_used);
    free(link_used);
    return mvm_err_set(err, MVM_ENOMEM, "out of memory");
  }
  mvm_qsort(t->ev, t->n, sizeof *t->ev, cmp_event);
  for (size_t i = 0; i < t->n; i++) {
    const mvm_route* r = &nv->routes[t->ev[i].vm];
    vm_used[t->ev[i].vm] = 1;
    for (size_t k = 0; k < r->count; k++)
      link_used[nv->route_elems[r->first + k]] = 1;
  }
  mvm_outfile out;
  int rc = mvm_out_open(&out, path, err);
  if (!rc) {
    FILE* fp = out.fp;
    fputs("# mvm replay: bandwidth of each migration (a variable named after its VM, bytes/s) on each link\n", fp);
    fputs(header, fp);
    fputs("0 LINK 0 LINK\n", fp);
    for (size_t v = 0; v < sc->nvms; v++)
      if (vm_used[v]) {
        /* colours spread around the hue circle by the golden ratio: distinct and reproducible */
        double h = fmod((double)v * 0.6180339887498949, 1.0);
        double rgb[3];
        for (int c = 0; c < 3; c++)
          rgb[c] = 0.25 + 0.65 * fabs(fmod(h * 6 + 4 - 2 * c, 6) - 3) / 3;
        /* ids are [A-Za-z0-9_.:@#+-] (mvm/ident.h): nothing to escape inside the quotes */
        fprintf(fp, "1 v%zu LINK \"%s\" \"%.3f %.3f %.3f\"\n", v, sc->vms[v].id, rgb[0], rgb[1], rgb[2]);
      }
    for (size_t e = 0; e < nv->nelems; e++)
      if (link_used[e]) /* link names come from SimGrid: a double quote would end the string */
        fprintf(fp, "2 0 l%zu LINK 0 \"%s\"\n", e, strchr(nv->elems[e].name, '"') ? "?" : nv->elems[e].name);
    for (size_t v = 0; v < sc->nvms; v++)
      if (vm_used[v]) {
        const mvm_route* r = &nv->routes[v];
        for (size_t k = 0; k < r->count; k++)
          fprintf(fp, "4 0 v%zu l%d 0\n", v, nv->route_elems[r->first + k]);
      }
    for (size_t i = 0; i < t->n; i++) {
      const tr_event* ev = &t->ev[i];
      const mvm_route* r = &nv->routes[ev->vm];
      for (size_t k = 0; k < r->count; k++)
        fprintf(fp, "%d %.9f v%d l%d %.6f\n", ev->rate > 0 ? 5 : 6, ev->t, ev->vm, nv->route_elems[r->first + k],
                fabs(ev->rate));
    }
    for (size_t e = 0; e < nv->nelems; e++)
      if (link_used[e])
        fprintf(fp, "3 %.9f LINK l%zu\n", end, e);
    rc = mvm_out_commit(&out, err);
  }
  free(vm_used);
  free(link_used);
  return rc;
}
