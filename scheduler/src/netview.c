#include "mvm/netview.h"

#include <stdlib.h>

void mvm_netview_free(mvm_netview* nv)
{
  if (!nv)
    return;
  for (size_t i = 0; i < nv->nelems; i++)
    free(nv->elems[i].name);
  free(nv->elems);
  free(nv->route_elems);
  free(nv->routes);
  free(nv);
}
