#include "mvm/units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char* suffix;
  double factor;
} unit_entry;

static const unit_entry size_units[] = {
    {"B", 1},           {"kB", 1e3},         {"KB", 1e3},         {"MB", 1e6},
    {"GB", 1e9},        {"TB", 1e12},        {"KiB", 1024.0},     {"MiB", 1048576.0},
    {"GiB", 1073741824.0}, {"TiB", 1099511627776.0}, {"PB", 1e15}, {"PiB", 1125899906842624.0}, {NULL, 0}};
static const unit_entry bit_units[] = {
    {"b", 1 / 8.0},  {"kb", 1e3 / 8}, {"Kb", 1e3 / 8}, {"Mb", 1e6 / 8}, {"Gb", 1e9 / 8},
    {"Tb", 1e12 / 8}, {"Pb", 1e15 / 8}, {"Kib", 1024.0 / 8}, {"Mib", 1048576.0 / 8},
    {"Gib", 1073741824.0 / 8}, {"Tib", 1099511627776.0 / 8}, {NULL, 0}};
/* SimGrid's spellings too: ps, m (minute), d, w */
static const unit_entry time_units[] = {{"ps", 1e-12}, {"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3},
                                        {"s", 1},      {"min", 60},  {"m", 60},    {"h", 3600},
                                        {"d", 86400},  {"w", 604800}, {NULL, 0}};
/* flop/s: a prefix and "f" or "flops" (SimGrid's speeds) */
static const unit_entry speed_prefixes[] = {
    {"", 1},          {"k", 1e3},          {"K", 1e3},           {"M", 1e6},
    {"G", 1e9},       {"T", 1e12},         {"P", 1e15},          {"E", 1e18},
    {"Ki", 1024.0},   {"Mi", 1048576.0},   {"Gi", 1073741824.0}, {"Ti", 1099511627776.0},
    {"Pi", 1125899906842624.0}, {NULL, 0}};
static const unit_entry power_units[] = {
    {"mW", 1e-3}, {"W", 1}, {"kW", 1e3}, {"MW", 1e6}, {NULL, 0}};

static const char* const kind_names[] = {"size", "rate", "time", "power", "percentage", "count", "speed"};

const char* mvm_unit_kind_name(mvm_unit_kind kind)
{
  return kind <= MVM_UNIT_SPEED ? kind_names[kind] : "quantity";
}

static int lookup(const unit_entry* table, const char* s, size_t len, double* factor)
{
  for (const unit_entry* u = table; u->suffix; u++)
    if (strlen(u->suffix) == len && strncmp(u->suffix, s, len) == 0) {
      *factor = u->factor;
      return 1;
    }
  return 0;
}

/* A rate: "<size>/s", "<size>ps" or "<bits>ps" ("<bits>/s"). */
static int rate_factor(const char* s, double* factor)
{
  size_t len = strlen(s);
  size_t base;
  if (len > 2 && strcmp(s + len - 2, "/s") == 0)
    base = len - 2;
  else if (len > 2 && strcmp(s + len - 2, "ps") == 0)
    base = len - 2;
  else
    return 0;
  return lookup(size_units, s, base, factor) || lookup(bit_units, s, base, factor);
}

/* A speed: a prefix then "f" or "flops". */
static int speed_factor(const char* s, double* factor)
{
  size_t len = strlen(s);
  if (len >= 5 && strcmp(s + len - 5, "flops") == 0)
    return lookup(speed_prefixes, s, len - 5, factor);
  return len >= 1 && s[len - 1] == 'f' && lookup(speed_prefixes, s, len - 1, factor);
}

int mvm_parse_quantity(const char* text, mvm_unit_kind kind, double* out, char* why,
                       unsigned why_len)
{
  if (!text) {
    snprintf(why, why_len, "missing %s", mvm_unit_kind_name(kind));
    return -1;
  }
  const char* p = text;
  while (isspace((unsigned char)*p))
    p++;
  if (*p == '\0') {
    snprintf(why, why_len, "empty %s", mvm_unit_kind_name(kind));
    return -1;
  }
  if (*p == '-') {
    snprintf(why, why_len, "negative %s '%s'", mvm_unit_kind_name(kind), text);
    return -1;
  }
  /* only plain decimal numbers: no hex, no inf/nan spelled out */
  if (!isdigit((unsigned char)*p) && *p != '.' && *p != '+') {
    snprintf(why, why_len, "'%s' is not a number followed by a unit", text);
    return -1;
  }
  char* end;
  errno = 0;
  double v = strtod(p, &end);
  if (end == p || errno == ERANGE || !isfinite(v) || (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))) {
    snprintf(why, why_len, "'%s' is not a number followed by a unit", text);
    return -1;
  }
  char suffix[32];
  size_t n = 0;
  while (*end && !isspace((unsigned char)*end) && n + 1 < sizeof suffix)
    suffix[n++] = *end++;
  suffix[n] = '\0';
  while (isspace((unsigned char)*end))
    end++;
  if (*end != '\0') {
    snprintf(why, why_len, "trailing characters in %s '%s'", mvm_unit_kind_name(kind), text);
    return -1;
  }
  double factor = 0;
  int ok = 0;
  switch (kind) {
  case MVM_UNIT_SIZE:
    ok = lookup(size_units, suffix, n, &factor);
    break;
  case MVM_UNIT_RATE:
    ok = rate_factor(suffix, &factor);
    break;
  case MVM_UNIT_TIME:
    ok = lookup(time_units, suffix, n, &factor);
    break;
  case MVM_UNIT_POWER:
    ok = lookup(power_units, suffix, n, &factor);
    break;
  case MVM_UNIT_PERCENT:
    ok = strcmp(suffix, "%") == 0;
    factor = 0.01;
    break;
  case MVM_UNIT_COUNT:
    ok = n == 0;
    factor = 1;
    break;
  case MVM_UNIT_SPEED:
    ok = speed_factor(suffix, &factor);
    break;
  }
  if (!ok) {
    if (n == 0)
      snprintf(why, why_len, "%s '%s' has no unit", mvm_unit_kind_name(kind), text);
    else
      snprintf(why, why_len, "unknown unit '%s' for a %s in '%s'", suffix,
               mvm_unit_kind_name(kind), text);
    return -1;
  }
  v *= factor;
  if (!isfinite(v) || v > 1e18) {
    snprintf(why, why_len, "%s '%s' is absurdly large", mvm_unit_kind_name(kind), text);
    return -1;
  }
  *out = v;
  return 0;
}
