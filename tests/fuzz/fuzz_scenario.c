/* Fuzzes the scenario reader (libxml2 parse, embedded XSD, semantic checks). A crash, a
 * leak or a sanitizer report is a finding; an error return is the expected outcome. */
#include "fuzz_file.h"
#include "mvm/ident.h"
#include "mvm/scenario.h"

int LLVMFuzzerTestOneInput(const unsigned char* data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char* data, size_t size)
{
  mvm_scenario* sc = NULL;
  mvm_error err;
  if (mvm_scenario_read(fuzz_write(data, size, "xml"), &sc, &err) == 0) {
    /* an accepted scenario holds only valid ids */
    for (size_t i = 0; i < sc->nvms; i++)
      if (!mvm_id_valid(sc->vms[i].id))
        abort();
    for (size_t i = 0; i < sc->nnodes; i++)
      if (!mvm_id_valid(sc->nodes[i].host))
        abort();
    for (size_t i = 0; i < sc->nworkloads; i++)
      if (!mvm_id_valid(sc->workloads[i].id))
        abort();
    mvm_scenario_free(sc);
  }
  else if (sc || err.msg[0] == '\0')
    abort(); /* an error must leave no scenario and say what went wrong */
  return 0;
}
