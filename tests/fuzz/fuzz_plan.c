/* Fuzzes the plan reader (CSV with # metadata). */
#include "fuzz_file.h"
#include "mvm/plan.h"

int LLVMFuzzerTestOneInput(const unsigned char* data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char* data, size_t size)
{
  mvm_plan* p = NULL;
  mvm_error err;
  if (mvm_plan_read(fuzz_write(data, size, "csv"), &p, &err) == 0)
    mvm_plan_free(p);
  else if (p || err.msg[0] == '\0')
    abort();
  return 0;
}
