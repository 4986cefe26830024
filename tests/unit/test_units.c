/* Units parser: SimGrid-style suffixes to base units. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "mvm/units.h"
#include <string.h>

static double q(const char* s, mvm_unit_kind k)
{
  double v = -1;
  char why[200];
  assert_int_equal(mvm_parse_quantity(s, k, &v, why, sizeof why), 0);
  return v;
}

static void bad(const char* s, mvm_unit_kind k, const char* expect_in_message)
{
  double v = 0;
  char why[200] = "";
  assert_int_equal(mvm_parse_quantity(s, k, &v, why, sizeof why), -1);
  assert_non_null(strstr(why, expect_in_message));
}

static void test_sizes(void** state)
{
  (void)state;
  assert_true(q("2GiB", MVM_UNIT_SIZE) == 2147483648.0);
  assert_true(q("1000MB", MVM_UNIT_SIZE) == 1e9);
  assert_true(q("46MB", MVM_UNIT_SIZE) == 46e6);
  assert_true(q("1.5kB", MVM_UNIT_SIZE) == 1500.0);
}

static void test_rates(void** state)
{
  (void)state;
  assert_true(q("500Mbps", MVM_UNIT_RATE) == 62.5e6); /* bits: 500e6 / 8 bytes/s */
  assert_true(q("1Gbps", MVM_UNIT_RATE) == 125e6);
  assert_true(q("22.6MB/s", MVM_UNIT_RATE) == 22.6e6);
  assert_true(q("3MBps", MVM_UNIT_RATE) == 3e6);
}

static void test_time_power_percent(void** state)
{
  (void)state;
  assert_true(q("30ms", MVM_UNIT_TIME) == 0.030);
  assert_true(q("2min", MVM_UNIT_TIME) == 120.0);
  assert_true(q("5.2kW", MVM_UNIT_POWER) == 5200.0);
  assert_true(q("20%", MVM_UNIT_PERCENT) == 0.20);
  assert_true(q("8", MVM_UNIT_COUNT) == 8.0);
  /* SimGrid's spellings, read by the platform check */
  assert_true(q("1Gf", MVM_UNIT_SPEED) == 1e9);
  assert_true(q("2Mflops", MVM_UNIT_SPEED) == 2e6);
  assert_true(q("1Kif", MVM_UNIT_SPEED) == 1024.0);
  assert_true(q("125MBps", MVM_UNIT_RATE) == 125e6);
  assert_true(q("1Gbps", MVM_UNIT_RATE) == 125e6);
  assert_true(q("50us", MVM_UNIT_TIME) > 49.999e-6 && q("50us", MVM_UNIT_TIME) < 50.001e-6);
  assert_true(q("1m", MVM_UNIT_TIME) == 60.0);
  assert_true(q("1d", MVM_UNIT_TIME) == 86400.0);
}

static void test_errors(void** state)
{
  (void)state;
  bad("2Go", MVM_UNIT_SIZE, "unknown unit 'Go'");
  bad("-5MB", MVM_UNIT_SIZE, "negative");
  bad("12", MVM_UNIT_TIME, "no unit");
  bad("abc", MVM_UNIT_POWER, "not a number");
  bad("1e300GB", MVM_UNIT_SIZE, "absurdly large");
  bad("5 MB x", MVM_UNIT_SIZE, "trailing");
  bad("nanMB", MVM_UNIT_SIZE, "not a number");
  bad("500MB", MVM_UNIT_RATE, "unknown unit");
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_sizes), cmocka_unit_test(test_rates),
                                     cmocka_unit_test(test_time_power_percent), cmocka_unit_test(test_errors)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
