/* mvm generate: scaled scenarios. */
#include "cli.h"
#include "mvm/generate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_generate(int argc, char** argv)
{
  const char *scale = NULL, *dir = NULL;
  const cli_opt opts[] = {{"scale", 0, "N", "scale factor (N = 10: 960 VMs, 720 servers)", &scale},
                          {"output", 'o', "DIR", "folder to write scale-N.xml and its platform into", &dir},
                          {NULL, 0, NULL, NULL, NULL}};
  cli_args a;
  int st = cli_begin("generate", opts, argc, argv, 0, NULL, &a);
  if (st >= 0)
    return st;
  if (a.npos != 1 || strcmp(a.pos[0], "decommission") != 0 || !scale || !dir) {
    fprintf(stderr, "mvm generate: usage: mvm generate decommission --scale N -o DIR\n");
    return 2;
  }
  char* end;
  long n = strtol(scale, &end, 10);
  mvm_error err = {0};
  if (*end || end == scale) {
    mvm_err_set(&err, MVM_EINPUT, "--scale: '%s' is not a whole number", scale);
    return cli_fail(&err);
  }
  if (mvm_generate_decommission((int)(n > 1000000 ? 1000000 : n < -1 ? -1 : n), dir, &err))
    return cli_fail(&err);
  fprintf(stderr, "mvm generate: wrote %s/scale-%ld.xml and %s/scale-%ld.platform.xml\n", dir, n, dir, n);
  return 0;
}
