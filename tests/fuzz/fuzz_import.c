/* Fuzzes the BtrPlace importer (JSON instance -> scenario, platform, plan), with the
 * platform generated from the network view. */
#include "fuzz_file.h"
#include "mvm/import.h"

int LLVMFuzzerTestOneInput(const unsigned char* data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char* data, size_t size)
{
  mvm_import* im = NULL;
  mvm_error err;
  if (mvm_import_btrplace(fuzz_write(data, size, "json"), NULL, &im, &err) == 0)
    mvm_import_free(im);
  else if (im || err.msg[0] == '\0')
    abort();
  return 0;
}
