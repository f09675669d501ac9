#include "twincert/base/json_fields.hpp"

#include <string>

#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"

namespace twincert::json_fields {
namespace {

using nlohmann::json;

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(JsonFieldsTest, ReadsPresentFieldsAndFallsBackForAbsentOptionalOnes) {
  const json j = {{"id", "r1"}, {"within_s", 12.5}};
  EXPECT_EQ(field<std::string>(j, "id", "rules.json: /rules/0"), "r1");
  EXPECT_DOUBLE_EQ(optional_field<double>(j, "within_s", 10.0, "w"), 12.5);
  EXPECT_DOUBLE_EQ(optional_field<double>(j, "grace_s", 15.0, "w"), 15.0);
}

TEST(JsonFieldsTest, NamesWhereAKeyIsMissingOrHasTheWrongType) {
  const json j = {{"id", 7}};
  EXPECT_EQ(error_of([&] { (void)field<std::string>(j, "kind", "rules.json: /rules/0"); }),
            "rules.json: /rules/0: missing \"kind\"");
  EXPECT_EQ(error_of([&] { (void)field<std::string>(j, "id", "rules.json: /rules/0"); }),
            "rules.json: /rules/0: \"id\" has the wrong type");
}

TEST(JsonFieldsTest, AnUnknownKeyIsAnErrorListingTheKnownOnes) {
  const json j = {{"id", "r1"}, {"sned", 1}};
  EXPECT_EQ(error_of([&] {
              only_keys(j, {"id", "send"}, "c.json");
            }),
            "c.json: unknown key \"sned\" (known: id, send)");
  EXPECT_EQ(error_of([&] { only_keys(json::array(), {"id"}, "c.json"); }),
            "c.json: expected a JSON object");
  EXPECT_EQ(error_of([&] { only_keys(j, {"id", "sned"}, "c.json"); }), "");
}

TEST(JsonFieldsTest, ReadJsonFileNamesAnUnreadableOrBrokenFile) {
  EXPECT_EQ(error_of([] { (void)read_json_file("/nonexistent/x.json", "campaign"); }),
            "cannot read campaign /nonexistent/x.json");
}

}  // namespace
}  // namespace twincert::json_fields
