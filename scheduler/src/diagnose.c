/* Infeasibility diagnosis: constraints that contradict each other whatever the
 * durations (before any schedule), and, after a schedule generation, what stopped it
 * (a deadlock: what each stuck action waits for) or what made a migration miss its
 * deadline. Every message names the scenario's file and the constraints' lines. */
#include "schedule_impl.h"

#include <stdlib.h>

/* Union-find: the representative of v (with path halving). */
static int uf_find(int* up, int v)
{
  while (up[v] != v)
    v = up[v] = up[up[v]];
  return v;
}

/* Constraints that contradict each other whatever the durations: two migrations that must
 * end together (sync, transitively) but may not overlap (serialize) or must follow one
 * another (precedence). Returns MVM_EINFEASIBLE naming both constraints and their lines,
 * MVM_ENOMEM, or 0. */
int mvm__check_contradictions(const mvm_scenario* sc, mvm_error* err)
{
  int nsync = 0;
  for (size_t c = 0; c < sc->nconstraints; c++)
    nsync += sc->constraints[c].kind == MVM_C_SYNC;
  if (!nsync)
    return 0;
  int* up = mvm_xcalloc(sc->nvms + 1, sizeof(int), err);
  int* line_of = mvm_xcalloc(sc->nvms + 1, sizeof(int), err);
  if (!up || !line_of) {
    free(up);
    free(line_of);
    return MVM_ENOMEM;
  }
  for (size_t v = 0; v < sc->nvms; v++)
    up[v] = (int)v;
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind != MVM_C_SYNC)
      continue;
    for (size_t i = 0; i < k->nvms; i++) {
      line_of[k->vms[i]] = k->line;
      if (i)
        up[uf_find(up, k->vms[i])] = uf_find(up, k->vms[0]);
    }
  }
  int rc = 0;
  for (size_t c = 0; c < sc->nconstraints && !rc; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind != MVM_C_SERIALIZE && k->kind != MVM_C_PRECEDENCE)
      continue;
    for (size_t i = 0; i < k->nvms && !rc; i++)
      for (size_t j = i + 1; j < k->nvms && !rc; j++) {
        int a = k->vms[i], b = k->vms[j];
        if (a == b || uf_find(up, a) != uf_find(up, b))
          continue;
        rc = mvm_err_set(err, MVM_EINFEASIBLE,
                         "%s:%d: %s: vm '%s' and vm '%s' must end together (sync, line %d), so they "
                         "cannot %s",
                         sc->path, k->line, k->kind == MVM_C_SERIALIZE ? "serialize" : "precedence",
                         sc->vms[a].id, sc->vms[b].id, line_of[a],
                         k->kind == MVM_C_SERIALIZE ? "run one after the other" : "follow one another");
      }
  }
  free(up);
  free(line_of);
  return rc;
}

/* What the parked and held actions wait for (the first six), or the predecessors that
 * never end. */
void mvm__explain_deadlock(const mvm__gen* s, mvm_error* err)
{
  const mvm_scenario* sc = s->sc;
  mvm_err_set(err, MVM_EINFEASIBLE, "%s: infeasible: no action can start at t=%.3f s:", sc->path, s->now);
  int shown = 0;
  for (int i = 0; i < s->na && shown < 6; i++) {
    const mvm__act* a = &s->a[i];
    if (a->state != MVM__S_PARKED && a->state != MVM__S_HELD)
      continue;
    const char* subj = a->kind == MVM__A_MIG ? sc->vms[a->ref].id : sc->nodes[a->ref].host;
    const char* what = a->kind == MVM__A_MIG ? "migration of vm" : a->kind == MVM__A_BOOT ? "boot of node" : "shutdown of node";
    if (a->state == MVM__S_HELD) {
      mvm_err_append(err, "\n  %s '%s' waits for the rest of its sync group", what, subj);
      shown++;
      continue;
    }
    const mvm__res* r = &s->r[a->parked_on];
    switch (r->kind) {
    case MVM__R_POWER:
      mvm_err_append(err, "\n  %s '%s' needs more power than power-budget (line %d) of %.1f W leaves (draw %.1f W)",
                     what, subj, sc->constraints[r->ref].line, r->cap, s->power);
      break;
    case MVM__R_MEM:
    case MVM__R_CORES:
      mvm_err_append(err, "\n  %s '%s' does not fit in the %s of node '%s' (%s)", what, subj,
                     r->kind == MVM__R_MEM ? "memory" : "cores", sc->nodes[r->ref].host,
                     "its VMs cannot leave before it fills: a cycle or swap of VMs");
      break;
    case MVM__R_OPEN:
      mvm_err_append(err, "\n  %s '%s' waits until fewer than %d booted nodes wait for VMs", what, subj, s->max_open);
      break;
    case MVM__R_SERIAL:
      mvm_err_append(err, "\n  %s '%s' is serialized (line %d)", what, subj, sc->constraints[r->ref].line);
      break;
    default:
      mvm_err_append(err, "\n  %s '%s' waits for %s", what, subj, r->kind == MVM__R_ELEM ? s->nv->elems[r->ref].name : "a slot");
    }
    shown++;
  }
  for (int i = 0; i < s->na && !shown; i++)
    if (s->a[i].state == MVM__S_WAIT) {
      mvm_err_append(err, "\n  actions wait for predecessors that never end");
      shown++;
    }
}

/* The first deadline missed: the planned end, and either the migration's duration
 * alone (too long whatever the others do) or what delayed it: the power budgets it waited
 * for, its serialize, precedence and sync constraints, and the busiest shared element of
 * its route before it started. */
int mvm__check_deadlines(const mvm__gen* s, mvm_error* err)
{
  const mvm_scenario* sc = s->sc;
  for (size_t c = 0; c < sc->nconstraints; c++) {
    const mvm_constraint* k = &sc->constraints[c];
    if (k->kind != MVM_C_DEADLINE)
      continue;
    for (size_t i = 0; i < k->nvms; i++) {
      const mvm__act* a = &s->a[s->mig_of_vm[k->vms[i]]];
      if (a->end <= k->at + 1e-6)
        continue;
      mvm_err_set(err, MVM_EINFEASIBLE, "%s:%d: deadline: vm '%s' cannot end by %.3f s (planned end %.3f s", sc->path,
                  k->line, sc->vms[k->vms[i]].id, k->at, a->end);
      double alone = a->dur_full;
      const mvm_vm* vm = &sc->vms[k->vms[i]];
      if (s->boot_of[vm->to] >= 0)
        alone += sc->defaults.boot;
      if (alone > k->at)
        mvm_err_append(err, "; alone on the network it would take %.3f s)", alone);
      else {
        mvm_err_append(err, ") because of");
        int any = 0, v = k->vms[i];
        for (size_t j = 0; j < sc->nconstraints; j++) {
          const mvm_constraint* o = &sc->constraints[j];
          int involved = o->kind == MVM_C_POWER && o->from <= a->start + 1e-9 &&
                         (a->parked_kinds & (1 << MVM__R_POWER));
          for (size_t m = 0; m < o->nvms && !involved; m++)
            involved = o->vms[m] == v && (o->kind == MVM_C_SERIALIZE || o->kind == MVM_C_PRECEDENCE ||
                                          o->kind == MVM_C_SYNC);
          if (j != c && involved) {
            mvm_err_append(err, "%s %s (line %d)", any ? "," : "",
                           o->kind == MVM_C_POWER ? "power-budget" : o->kind == MVM_C_SERIALIZE ? "serialize"
                           : o->kind == MVM_C_PRECEDENCE ? "precedence" : "sync",
                           o->line);
            any = 1;
          }
        }
        /* the busiest shared element of its route before it started */
        const mvm_route* rt = &s->nv->routes[v];
        int best_e = -1, best_n = 0;
        for (size_t e = 0; s->use_network && (a->parked_kinds & (1 << MVM__R_ELEM)) && e < rt->count; e++) {
          int el = s->nv->route_elems[rt->first + e];
          if (s->elem_res[el] < 0)
            continue;
          int n = 0;
          for (size_t w = 0; w < sc->nvms; w++) {
            int ow = s->mig_of_vm[w];
            if ((int)w == v || ow < 0 || s->a[ow].start >= a->start + 1e-9)
              continue;
            const mvm_route* r2 = &s->nv->routes[w];
            for (size_t f = 0; f < r2->count; f++)
              n += (int)s->nv->route_elems[r2->first + f] == el;
          }
          if (n > best_n) {
            best_n = n;
            best_e = el;
          }
        }
        if (best_e >= 0)
          mvm_err_append(err, "%s the capacity of %s (%d migration%s crossed it first)", any ? "," : "",
                         s->nv->elems[best_e].name, best_n, best_n > 1 ? "s" : "");
        else if (!any)
          mvm_err_append(err, " the network's capacity");
      }
      return MVM_EINFEASIBLE;
    }
  }
  return 0;
}
