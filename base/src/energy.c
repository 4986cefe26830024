/* Liu's migration energy (see mvm/energy.h). */
#include "mvm/energy.h"

double mvm_migration_energy(double alpha, double beta, double bytes) { return alpha * bytes / 1e6 + beta; }

double mvm_migration_energy_share(double alpha, double beta, double bytes, double total)
{
  return alpha * bytes / 1e6 + (total > 0 ? beta * bytes / total : 0);
}

double mvm_migration_power(double alpha, double beta, double mb_per_s, double transfer_s)
{
  return alpha * mb_per_s + (transfer_s > 0 ? beta / transfer_s : 0);
}
