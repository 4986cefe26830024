/* A shared object that is no mvm policy (no mvm_policy_entry): mvm refuses to load it. */
int not_a_policy(void) { return 42; }
