/* mvm — Liu et al.'s migration energy (HPDC 2011): E = alpha V + beta, V the data sent in
 * MB (1e6 bytes), alpha in J/MB, beta in J. The scheduler predicts it at the reserved
 * rate, the plugin charges it on the data its rounds actually sent. Pure functions. */
#ifndef MVM_ENERGY_H
#define MVM_ENERGY_H

/* Energy (J) of a migration that sent `bytes`. */
double mvm_migration_energy(double alpha, double beta, double bytes);

/* The share of that energy due to `bytes` of the migration's `total`: alpha V + beta V /
 * total (0 beta if total is 0), so that the shares of all its rounds add up to E. */
double mvm_migration_energy_share(double alpha, double beta, double bytes, double total);

/* Power (W) of a migration sending mb_per_s MB/s whose transfer lasts transfer_s s: alpha
 * x rate + beta / transfer_s (no beta term if transfer_s <= 0). Its integral is E. */
double mvm_migration_power(double alpha, double beta, double mb_per_s, double transfer_s);

#endif
