// The adapter's mapping language: units, alert vocabularies, table shapes, relocatable paths,
// and the configuration errors each gives (naming the file and the key).
#include "twincert/harness/mapping.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/adapter.hpp"
#include "twincert/harness/units.hpp"

namespace twincert::harness {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "twincert-mapping-test";
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path;
}

// An adapter with `observe` as given.
TwinAdapter adapter_observing(const std::string& name, const std::string& observe) {
  return load_adapter(write_temp(name, R"({"schema": "twincert.adapter/1", "name": "x",
      "send": "udp://127.0.0.1:1", "start": {"command": ["true"], "ready": {"port": "127.0.0.1:1"}},
      "observe": )" + observe + "}"));
}

double convert(const char* from, const char* to, double v) {
  const auto a = units::find_unit(from);
  const auto b = units::find_unit(to);
  EXPECT_TRUE(a && b) << from << " " << to;
  const auto c = a && b ? units::conversion(*a, *b) : std::nullopt;
  EXPECT_TRUE(c.has_value()) << from << " -> " << to;
  return c ? (*c)(v) : NAN;
}

TEST(UnitsTest, ConvertsTheUnitsTwinsReportIn) {
  EXPECT_NEAR(convert("m/s", "kn", 1.0), 1.943844, 1e-6);
  EXPECT_NEAR(convert("km/h", "kn", 1.852), 1.0, 1e-12);
  EXPECT_NEAR(convert("rad", "deg", 3.14159265358979), 180.0, 1e-9);
  EXPECT_NEAR(convert("rad/s", "deg/min", 1.0), 3437.746771, 1e-6);
  EXPECT_NEAR(convert("fathom", "ft", 1.0), 6.0, 1e-12);
  EXPECT_NEAR(convert("ft", "m", 1.0), 0.3048, 1e-12);
  EXPECT_NEAR(convert("K", "°C", 273.15), 0.0, 1e-12);
  EXPECT_NEAR(convert("celsius", "K", -273.15), 0.0, 1e-12);
  EXPECT_NEAR(convert("bar", "hPa", 1.0), 1000.0, 1e-9);
  EXPECT_NEAR(convert("Pa", "hPa", 101325.0), 1013.25, 1e-9);
  EXPECT_NEAR(convert("Hz", "rpm", 1.0), 60.0, 1e-12);
  EXPECT_NEAR(convert("ratio", "%", 0.5), 50.0, 1e-12);
  EXPECT_NEAR(convert("knots", "kn", 3.0), 3.0, 1e-12);
  EXPECT_FALSE(units::find_unit("furlong"));
  EXPECT_FALSE(units::find_unit("M"));  // not metres: case matters for m, K and Pa
}

TEST(UnitsTest, TheTruthsQuantitiesHaveTheirUnits) {
  EXPECT_EQ(units::truth_unit_of("sog_kn")->symbol, "kn");
  EXPECT_EQ(units::truth_unit_of("heading_deg")->symbol, "deg");
  EXPECT_EQ(units::truth_unit_of("rot_deg_min")->symbol, "deg/min");
  EXPECT_EQ(units::truth_unit_of("depth_m")->symbol, "m");
  EXPECT_EQ(units::truth_unit_of("lat")->symbol, "deg");
  EXPECT_EQ(units::truth_unit_of("rpm")->symbol, "rpm");
  EXPECT_EQ(units::truth_unit_of("distance_nm")->symbol, "nmi");
  EXPECT_FALSE(units::truth_unit_of("mood"));
}

TEST(MappingTest, ValueTransformsScaleOffsetThenConvert) {
  const TwinAdapter a = adapter_observing("v1.json", R"({"http": [{"get": "http://127.0.0.1:1/",
      "values": {"sog_kn": {"value": "/speed", "unit": "m/s"},
                 "depth_m": {"value": "/depth", "unit": "ft", "offset": 10},
                 "heading_deg": {"value": "/hdg", "unit": "rad", "scale": 0.001},
                 "cog_deg": {"bearing": ["/ve", "/vn"]},
                 "stw_kn": {"hypot": ["/ve", "/vn"], "unit": "m/s"}}}]})");
  std::map<std::string, JsonValueMap> by_name;
  for (const auto& m : a.observe.http.at(0).values) by_name[m.name] = m;
  EXPECT_NEAR(by_name["sog_kn"].transform(5.0), 9.71922, 1e-5);
  EXPECT_EQ(by_name["sog_kn"].transform.unit, "m/s");
  EXPECT_NEAR(by_name["depth_m"].transform(20.0), 30.0 * 0.3048, 1e-12);
  EXPECT_NEAR(by_name["heading_deg"].transform(1570.796), 90.0, 1e-3);
  EXPECT_EQ(by_name["cog_deg"].combine, Combine::kBearing);
  EXPECT_NEAR(combine(Combine::kBearing, -1.0, 0.0), 270.0, 1e-12);
  EXPECT_NEAR(combine(Combine::kHypot, 3.0, 4.0), 5.0, 1e-12);
  EXPECT_EQ(by_name["stw_kn"].second_pointer, "/vn");
}

TEST(MappingTest, BadUnitsAreErrorsNamingFileAndKey) {
  const auto bad = [](const std::string& name, const std::string& value) {
    return error_of([&] {
      adapter_observing(name,
                        R"({"http": [{"get": "http://127.0.0.1:1/", "values": {)" + value + "}}]}");
    });
  };
  EXPECT_THAT(bad("u1.json", R"("sog_kn": {"value": "/s", "unit": "furlong/fortnight"})"),
              HasSubstr("u1.json: observe.http[0]: values.sog_kn.unit: \"furlong/fortnight\" "
                        "is not a unit twincert knows (known: m/s, kn"));
  EXPECT_THAT(bad("u2.json", R"("sog_kn": {"value": "/s", "unit": "m"})"),
              HasSubstr("values.sog_kn.unit: \"m\" is a length, but sog_kn is a speed (in kn)"));
  EXPECT_THAT(bad("u3.json", R"("mood": {"value": "/s", "unit": "m"})"),
              HasSubstr("values.mood.unit: the truth has no unit for \"mood\""));
  EXPECT_THAT(bad("u4.json", R"("sog_kn": {"sum": ["/a"]})"),
              HasSubstr("values.sog_kn: \"sum\" is a list of two JSON pointers"));
  EXPECT_THAT(bad("u5.json", R"("sog_kn": {"value": "/a", "hypot": ["/a", "/b"]})"),
              HasSubstr("values.sog_kn: give one of \"value\""));
  EXPECT_THAT(bad("u6.json", R"("sog_kn": {"value": "/a", "scale": 0})"),
              HasSubstr("values.sog_kn: \"scale\" is a finite number other than 0"));
}

TEST(MappingTest, VocabularyMapsExactAnyCaseAndRegexWithCaptures) {
  const TwinAdapter a = adapter_observing("w1.json", R"j({"alerts": {"get": "http://127.0.0.1:1/",
      "vocabulary": {
        "condition": [{"exact": "HDG_LOST", "to": "input_lost", "subject": "HE0001"},
                      {"any_case": "depth shallow", "to": "shallow_water", "subject": "ship"},
                      {"regex": "(?i)(\\w+)_stale", "to": "input_frozen", "subject": "$1"},
                      {"regex": "LOST_(.*)", "to": "input_lost"}],
        "subject": [{"any_case": "gyro", "to": "HE0001"},
                    {"regex": "sensor:(.+)", "to": "$1"}]}}})j");
  const AlertPoll& p = *a.observe.alerts;
  const auto condition = [&](const std::string& word) {
    const auto t = translate(p.conditions, word);
    return t ? t->word + "/" + t->subject.value_or("-") : std::string("unmapped");
  };
  EXPECT_EQ(condition("HDG_LOST"), "input_lost/HE0001");
  EXPECT_EQ(condition("hdg_lost"), "unmapped");  // exact is exact
  EXPECT_EQ(condition("Depth SHALLOW"), "shallow_water/ship");
  EXPECT_EQ(condition("GP0001_STALE"), "input_frozen/GP0001");
  EXPECT_EQ(condition("LOST_GPS"), "input_lost/-");  // the subject read as the adapter says
  EXPECT_EQ(condition("xLOST_GPS"), "unmapped");     // a regex matches the whole word
  EXPECT_EQ(translate(p.subjects, "GYRO")->word, "HE0001");
  EXPECT_EQ(translate(p.subjects, "sensor:GP0001")->word, "GP0001");
  EXPECT_FALSE(translate(p.subjects, "radar"));
}

TEST(MappingTest, SubjectsArePointersListsSplitTextsOrConstants) {
  const auto subject = [](const std::string& name, const std::string& spec) {
    return adapter_observing(
               name, R"({"alerts": {"get": "http://127.0.0.1:1/", "subject": )" + spec + "}}")
        .observe.alerts->subject;
  };
  EXPECT_EQ(subject("s1.json", R"("/about")").pointer, "/about");
  EXPECT_EQ(subject("s2.json", R"("@key")").pointer, "@key");
  EXPECT_EQ(subject("s3.json", R"({"pointer": "/sources", "separator": ","})").separator, ",");
  EXPECT_EQ(subject("s4.json", R"({"constant": "ship"})").constant, "ship");
  EXPECT_THAT(error_of([&] { subject("s5.json", R"({"constant": "ship", "pointer": "/x"})"); }),
              HasSubstr("s5.json: observe.alerts.subject: give one of \"pointer\""));
  EXPECT_THAT(error_of([&] { subject("s6.json", R"("about")"); }),
              HasSubstr("observe.alerts.subject: \"about\" is not a JSON pointer"));
}

TEST(MappingTest, BadVocabulariesAreErrorsNamingTheKey) {
  const auto bad = [](const std::string& name, const std::string& vocabulary) {
    return error_of([&] {
      adapter_observing(
          name, R"({"alerts": {"get": "http://127.0.0.1:1/", "vocabulary": )" + vocabulary + "}}");
    });
  };
  EXPECT_THAT(bad("b1.json", R"({"condition": [{"regex": "(", "to": "x"}]})"),
              HasSubstr("b1.json: observe.alerts.vocabulary.condition[0].regex: \"(\" is not a "
                        "regex"));
  EXPECT_THAT(
      bad("b2.json", R"({"condition": [{"exact": "A", "any_case": "A", "to": "x"}]})"),
      HasSubstr("vocabulary.condition[0]: give one of \"exact\", \"any_case\" or \"regex\""));
  EXPECT_THAT(bad("b3.json", R"({"subject": [{"exact": "A", "to": "x", "subject": "y"}]})"),
              HasSubstr("vocabulary.subject[0]: unknown key \"subject\""));
  EXPECT_THAT(bad("b4.json", R"({"condition": [{"exact": "A"}]})"),
              HasSubstr("vocabulary.condition[0]: missing \"to\""));
  EXPECT_THAT(bad("b5.json", R"({"unmapped": "ignore"})"),
              HasSubstr("vocabulary.unmapped: \"keep\""));
}

Table table_from(const std::string& name, const std::string& spec) {
  return adapter_observing(name,
                           R"({"targets": {"get": "http://127.0.0.1:1/", "list": )" + spec + "}}")
      .observe.targets->list;
}

std::vector<std::string> keys_of(const TableRows& t) {
  std::vector<std::string> keys;
  for (const auto& r : t.rows) keys.push_back(r.key);
  return keys;
}

TEST(MappingTest, TablesAreListsBareListsKeyedObjectsAndNestedLists) {
  const json answer = json::parse(R"({
      "targets": [{"mmsi": 1}, {"mmsi": 2}],
      "vessels": {"urn:mrn:imo:mmsi:211457160": {"name": "A"}, "self": {"name": "own"},
                  "urn:mrn:imo:mmsi:230000001": {"name": "B"}},
      "groups": [{"alerts": [{"c": "a"}, {"c": "b"}]}, {"alerts": []}, {"alerts": [{"c": "c"}]}]})");
  const auto list = rows_of(table_from("t1.json", R"("/targets")"), answer);
  EXPECT_THAT(keys_of(list), ElementsAre("0", "1"));
  EXPECT_EQ(list.rows[1].entry->at("mmsi"), 2);

  const auto bare =
      rows_of(table_from("t2.json", R"({"shape": "list"})"), json::parse("[1, 2, 3]"));
  EXPECT_EQ(bare.rows.size(), 3U);

  const auto keyed = rows_of(table_from("t3.json", R"j({"at": "/vessels", "shape": "keyed",
                                                       "key": "urn:mrn:imo:mmsi:(\\d+)"})j"),
                             answer);
  EXPECT_THAT(keys_of(keyed), ElementsAre("211457160", "230000001"));
  EXPECT_EQ(keyed.keys_skipped_count, 1U);
  EXPECT_THAT(keyed.keys_skipped, ElementsAre("self"));

  const auto nested =
      rows_of(table_from("t4.json", R"({"at": "/groups", "each": {"at": "/alerts"}})"), answer);
  ASSERT_EQ(nested.rows.size(), 3U);
  EXPECT_EQ(nested.rows[2].entry->at("c"), "c");
  // One look at the outer level, one per group at the inner: all of the right shape.
  EXPECT_EQ(nested.looks.size(), 4U);
  for (const auto& look : nested.looks) EXPECT_TRUE(look.as_expected);
}

TEST(MappingTest, ATableOfTheWrongShapeSaysWhatWasFound) {
  const json answer = json::parse(R"({"targets": {"a": 1}, "empty": []})");
  const auto wrong = rows_of(table_from("t5.json", R"("/targets")"), answer);
  ASSERT_EQ(wrong.looks.size(), 1U);
  EXPECT_FALSE(wrong.looks[0].as_expected);
  EXPECT_TRUE(wrong.looks[0].node->is_object());
  const auto absent = rows_of(table_from("t6.json", R"("/nothing")"), answer);
  EXPECT_EQ(absent.looks.at(0).node, nullptr);
  // An empty list has the shape: a twin with nothing to list is not a mistake.
  const auto empty = rows_of(table_from("t7.json", R"("/empty")"), answer);
  EXPECT_TRUE(empty.looks.at(0).as_expected);
  EXPECT_TRUE(empty.rows.empty());
  EXPECT_THAT(error_of([] { table_from("t8.json", R"({"at": "/x", "shape": "map"})"); }),
              HasSubstr("t8.json: observe.targets.list.shape: \"map\""));
  EXPECT_THAT(error_of([] { table_from("t9.json", R"({"at": "/x", "key": "a"})"); }),
              HasSubstr("observe.targets.list.key: only a \"keyed\" table has keys"));
  EXPECT_THAT(error_of([] { table_from("t10.json", R"({"at": "/x", "each": {"at": "x"}})"); }),
              HasSubstr("observe.targets.list.each.at: \"x\" is not a JSON pointer"));
}

TEST(AdapterPathsTest, ProgramsAndPlaceholdersResolveAgainstTheAdaptersFolder) {
  const auto dir = std::filesystem::temp_directory_path() / "twincert-mapping-test" / "kit";
  std::filesystem::create_directories(dir / "bin");
  { std::ofstream(dir / "bin" / "twin") << "#!/bin/sh\n"; }
  std::filesystem::permissions(dir / "bin" / "twin", std::filesystem::perms::owner_all);
  ::setenv("TWINCERT_MAPPING_TEST_HOST", "10.0.0.7", 1);  // NOLINT(concurrency-mt-unsafe)
  ::unsetenv("TWINCERT_MAPPING_TEST_UNSET");              // NOLINT(concurrency-mt-unsafe)
  std::ofstream(dir / "adapter.json") << R"({"schema": "twincert.adapter/1", "name": "kit",
      "start": {"command": ["bin/twin", "--config", "${adapter_dir}/twin.conf",
                            "--peer", "${env.TWINCERT_MAPPING_TEST_HOST}",
                            "--mode", "${env.TWINCERT_MAPPING_TEST_UNSET:-quiet}",
                            "--http", "${port.http}"],
                "ready": {"port": "127.0.0.1:${port.http}"}},
      "send": "udp://127.0.0.1:${port.input}"})";
  const TwinAdapter a = load_adapter(dir / "adapter.json");
  const auto canonical = std::filesystem::absolute(dir).lexically_normal();
  EXPECT_THAT(a.command, ElementsAre((canonical / "bin/twin").string(), "--config",
                                     (canonical / "twin.conf").string(), "--peer", "10.0.0.7",
                                     "--mode", "quiet", "--http", "${port.http}"));
  AdapterVariables v;
  v.ports = {{"http", 1}, {"input", 2}};
  check_program(a, v);  // exists, executable: no error

  std::ofstream(dir / "missing.json") << R"({"schema": "twincert.adapter/1", "name": "kit",
      "start": {"command": ["bin/absent"], "ready": {"port": "127.0.0.1:1"}},
      "send": "udp://127.0.0.1:1"})";
  EXPECT_THAT(error_of([&] { check_program(load_adapter(dir / "missing.json"), v); }),
              HasSubstr("missing.json: start.command[0]: the program " +
                        (canonical / "bin/absent").string() + " does not exist"));
  std::ofstream(dir / "unknown.json") << R"({"schema": "twincert.adapter/1", "name": "kit",
      "start": {"command": ["no-such-twin-program"], "ready": {"port": "127.0.0.1:1"}},
      "send": "udp://127.0.0.1:1"})";
  EXPECT_THAT(error_of([&] { check_program(load_adapter(dir / "unknown.json"), v); }),
              HasSubstr("unknown.json: start.command[0]: no program \"no-such-twin-program\" on "
                        "PATH"));
  std::ofstream(dir / "unset.json") << R"({"schema": "twincert.adapter/1", "name": "kit",
      "start": {"command": ["true", "${env.TWINCERT_MAPPING_TEST_UNSET}"],
                "ready": {"port": "127.0.0.1:1"}},
      "send": "udp://127.0.0.1:1"})";
  EXPECT_THAT(error_of([&] { load_adapter(dir / "unset.json"); }),
              HasSubstr("unset.json: ${env.TWINCERT_MAPPING_TEST_UNSET}: the environment "
                        "variable TWINCERT_MAPPING_TEST_UNSET is not set"));
}

}  // namespace
}  // namespace twincert::harness
