/* Fuzzes the unit parser: every kind; a success must give a finite, non-negative value. */
#include "mvm/units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char* data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char* data, size_t size)
{
  if (size < 1 || size > 256)
    return 0;
  char text[257];
  memcpy(text, data + 1, size - 1);
  text[size - 1] = '\0';
  mvm_unit_kind kind = (mvm_unit_kind)(data[0] % (MVM_UNIT_SPEED + 1));
  double v;
  char why[200];
  if (mvm_parse_quantity(text, kind, &v, why, sizeof why) == 0) {
    if (!isfinite(v) || v < 0)
      abort();
  } else if (why[0] == '\0')
    abort();
  return 0;
}
