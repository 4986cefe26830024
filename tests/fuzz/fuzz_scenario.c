/* Fuzzes the scenario reader (libxml2 parse, embedded XSD, semantic checks). A crash, a
 * leak or a sanitizer report is a finding; an error return is the expected outcome. */
#include "fuzz_file.h"
#include "mvm/scenario.h"

int LLVMFuzzerTestOneInput(const unsigned char* data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char* data, size_t size)
{
  mvm_scenario* sc = NULL;
  mvm_error err;
  if (mvm_scenario_read(fuzz_write(data, size, "xml"), &sc, &err) == 0)
    mvm_scenario_free(sc);
  else if (sc || err.msg[0] == '\0')
    abort(); /* an error must leave no scenario and say what went wrong */
  return 0;
}
