#include "twincert/base/duration.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"

namespace twincert {
namespace {

std::string duration_error(std::string_view text) {
  try {
    (void)parse_duration_s(text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(DurationTest, ReadsEachUnit) {
  EXPECT_DOUBLE_EQ(parse_duration_s("2h"), 7200.0);
  EXPECT_DOUBLE_EQ(parse_duration_s("90m"), 5400.0);
  EXPECT_DOUBLE_EQ(parse_duration_s("90min"), 5400.0);
  EXPECT_DOUBLE_EQ(parse_duration_s("45s"), 45.0);
  EXPECT_DOUBLE_EQ(parse_duration_s("1d"), 86400.0);
  EXPECT_DOUBLE_EQ(parse_duration_s("3600"), 3600.0);
  EXPECT_DOUBLE_EQ(parse_duration_s("1.5h"), 5400.0);
}

TEST(DurationTest, RejectsWhatIsNoPositiveDurationNamingTheText) {
  EXPECT_EQ(duration_error("2 weeks"),
            "duration \"2 weeks\": expected a positive number with an optional unit s, m, h or d "
            "(e.g. 90m, 2h)");
  EXPECT_THAT(duration_error("-5m"), ::testing::StartsWith("duration \"-5m\": expected"));
  EXPECT_THAT(duration_error("0"), ::testing::StartsWith("duration \"0\": expected"));
  EXPECT_THAT(duration_error("h"), ::testing::StartsWith("duration \"h\": expected"));
  EXPECT_THAT(duration_error(""), ::testing::StartsWith("duration \"\": expected"));
}

}  // namespace
}  // namespace twincert
