#include "mvm/ident.h"

#include <string.h>

const char* const mvm_id_rule = "ids are 1 to 128 characters of A-Z a-z 0-9 _ . : @ # + -, "
                                "starting with a letter, a digit or _";

static int id_char(unsigned char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c && strchr("_.:@#+-", c));
}

int mvm_id_valid(const char* s)
{
  if (!s || !s[0] || s[0] == '.' || s[0] == ':' || s[0] == '@' || s[0] == '#' || s[0] == '+' || s[0] == '-')
    return 0;
  size_t n = 0;
  for (; s[n]; n++)
    if (n >= MVM_ID_MAX || !id_char((unsigned char)s[n]))
      return 0;
  return 1;
}

const char* mvm_id_cut(const char* s, char* buf)
{
  size_t n = 0;
  for (; s && s[n] && n < 64; n++)
    buf[n] = (s[n] >= 0x20 && s[n] < 0x7f) ? s[n] : '?';
  if (s && s[n])
    memcpy(buf + n, "...", 4);
  else
    buf[n] = '\0';
  return buf;
}
