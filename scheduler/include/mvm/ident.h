/* mvm — identifiers (VM ids, host and node names, workload ids, scheduler names).
 *
 * An id is 1 to MVM_ID_MAX characters of A-Z a-z 0-9 _ . : @ # + -, the first a letter,
 * a digit or '_'. Such an id needs no quoting in a CSV field, a JSON string, a gnuplot
 * script or a shell word, and prints on one line; every reader refuses any other. */
#ifndef MVM_IDENT_H
#define MVM_IDENT_H

#include <stddef.h>

#define MVM_ID_MAX 128
/* Size of a buffer for mvm_id_cut: 64 characters, "...", NUL. */
#define MVM_ID_CUT 68

/* 1 if s is a valid id, else 0. */
int mvm_id_valid(const char* s);

/* Copies s into buf (MVM_ID_CUT bytes) for a message: cut after 64 characters with "...",
 * characters outside printable ASCII shown as '?'. Returns buf. */
const char* mvm_id_cut(const char* s, char* buf);

/* One line describing the rule, for messages. */
extern const char* const mvm_id_rule;

#endif
