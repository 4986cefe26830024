/* Fuzzes the plan reader (CSV with # metadata). */
#include "fuzz_file.h"
#include "mvm/ident.h"
#include "mvm/plan.h"

int LLVMFuzzerTestOneInput(const unsigned char* data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char* data, size_t size)
{
  mvm_plan* p = NULL;
  mvm_error err;
  if (mvm_plan_read(fuzz_write(data, size, "csv"), &p, &err) == 0) {
    /* an accepted plan holds only valid ids (safe in CSV, JSON, gnuplot) */
    if (p->scheduler && !mvm_id_valid(p->scheduler))
      abort();
    for (size_t i = 0; i < p->nactions; i++)
      if (!mvm_id_valid(p->actions[i].subject) || !mvm_id_valid(p->actions[i].from) ||
          !mvm_id_valid(p->actions[i].to))
        abort();
    mvm_plan_free(p);
  }
  else if (p || err.msg[0] == '\0')
    abort();
  return 0;
}
