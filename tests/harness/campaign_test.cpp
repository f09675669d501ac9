// Campaign and adapter files: the fixtures load, the matrix expands deterministically, shards
// split it, and mistakes in the files are errors that say where.
#include "twincert/harness/campaign.hpp"

#include <filesystem>
#include <fstream>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/adapter.hpp"
#include "twincert/harness/observer.hpp"

namespace twincert::harness {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kFixtures = TWINCERT_FIXTURES_DIR;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "twincert-campaign-test";
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path;
}

TEST(AdapterTest, TheReferenceTwinAdapterLoadsAndFillsItsPlaceholders) {
  const TwinAdapter a = load_adapter(kFixtures / "adapters/reference-twin.json");
  EXPECT_EQ(a.name, "reference-twin");
  EXPECT_EQ(port_names(a), (std::vector<std::string>{"alerts", "http", "input"}));
  EXPECT_EQ(a.time, TwinTime::kStream);
  ASSERT_TRUE(a.observe.alerts.has_value());
  EXPECT_GE(a.mutants.size(), 12U);
  AdapterVariables v;
  v.ports = {{"alerts", 40001}, {"http", 40002}, {"input", 40003}};
  v.reference_twin = "/opt/twin";
  const TwinAdapter i = instantiate(a, v);
  EXPECT_EQ(i.command.front(), "/opt/twin");
  ASSERT_EQ(i.send.size(), 1U);
  EXPECT_EQ(i.send[0].to, "udp://127.0.0.1:40003?format=450");
  EXPECT_TRUE(i.send[0].sources.empty());
  EXPECT_EQ(i.observe.liveness_url, "http://127.0.0.1:40002/ready");
  EXPECT_EQ(i.observe.nmea, std::vector<std::string>{"udp://127.0.0.1:40001"});
}

TEST(AdapterTest, TheGpsdProfileLoadsWithALineProtocolLivenessProbe) {
  const TwinAdapter a = load_adapter(kFixtures / "adapters/gpsd.json");
  EXPECT_EQ(a.name, "gpsd");
  EXPECT_EQ(port_names(a), (std::vector<std::string>{"gpsd", "input"}));
  AdapterVariables v;
  v.ports = {{"gpsd", 40001}, {"input", 40002}};
  const TwinAdapter i = instantiate(a, v);
  EXPECT_EQ(i.observe.liveness_url, "tcp://127.0.0.1:40001");
  EXPECT_EQ(i.observe.liveness_send, "");
  ASSERT_EQ(i.observe.json_lines.size(), 1U);
  EXPECT_EQ(i.observe.json_lines[0].url, "tcp://127.0.0.1:40001");
  ASSERT_EQ(i.send.size(), 1U);
  EXPECT_EQ(i.send[0].sources, std::vector<std::string>{"GP*"});
  EXPECT_EQ(i.send[0].to, "udp://127.0.0.1:40002?format=sentences");
}

TEST(AdapterTest, ALivenessProbeIsAGetOrAConnectNeverBoth) {
  const std::string head =
      R"({"schema": "twincert.adapter/1", "name": "x", "send": "udp://127.0.0.1:1",
    "start": {"command": ["t"], "ready": {"port": "127.0.0.1:1"}}, "observe": {"liveness": )";
  const auto load = [&](const std::string& name, const std::string& liveness) {
    return error_of([&] { load_adapter(write_temp(name, head + liveness + "}}")); });
  };
  EXPECT_THAT(load("l1.json", R"({"get": "http://127.0.0.1:1/", "connect": "tcp://127.0.0.1:1"})"),
              HasSubstr("l1.json: observe.liveness: expected one of \"get\" (an http:// URL) or "
                        "\"connect\" (tcp://HOST:PORT)"));
  EXPECT_THAT(load("l2.json", R"({"every_ms": 100})"), HasSubstr("expected one of \"get\""));
  EXPECT_THAT(
      load("l3.json", R"({"connect": "http://127.0.0.1:1/"})"),
      HasSubstr(
          "l3.json: observe.liveness.connect: \"http://127.0.0.1:1/\" is not tcp://HOST:PORT"));
  EXPECT_THAT(load("l4.json", R"({"get": "http://127.0.0.1:1/", "send": "x"})"),
              HasSubstr("l4.json: observe.liveness.send: only with \"connect\""));
  EXPECT_EQ(load("l5.json", R"({"connect": "tcp://127.0.0.1:1", "send": "?VERSION;\n"})"),
            "no error");
}

TEST(AdapterTest, MistakesAreErrorsThatSayWhere) {
  const std::string head =
      R"({"schema": "twincert.adapter/1", "name": "x", "send": "udp://127.0.0.1:1",
    "start": {"command": ["t"], "ready": {"port": "127.0.0.1:1"}})";
  EXPECT_THAT(error_of([&] { load_adapter(write_temp("a1.json", head + R"(, "sned": 1})")); }),
              HasSubstr("unknown key \"sned\""));
  EXPECT_THAT(error_of([&] { load_adapter(write_temp("a2.json", head + R"(, "time": "wall"})")); }),
              HasSubstr("\"time\" is stream or arrival"));
  EXPECT_THAT(
      error_of([&] {
        load_adapter(write_temp(
            "a3.json", R"({"schema": "twincert.adapter/1", "name": "x", "send": "${porthttp}",
                      "start": {"command": ["t"], "ready": {"port": "1"}}})"));
      }),
      HasSubstr("unknown placeholder ${porthttp}"));
  EXPECT_THAT(error_of([&] {
                load_adapter(write_temp("a4.json", head + R"(, "observe": {"http": [{"get": "x",
                  "values": {"lat": {"value": "lat"}}}]}})"));
              }),
              HasSubstr("is not a JSON pointer"));
  const std::string tail = R"(, "start": {"command": ["t"], "ready": {"port": "127.0.0.1:1"}}})";
  EXPECT_THAT(error_of([&] {
                load_adapter(
                    write_temp("a5.json", R"({"schema": "twincert.adapter/1", "name": "x", "send": [
                  {"to": "udp://127.0.0.1:1"}, {"sources": ["AI*"], "to": "tcp://127.0.0.1:2"}])" +
                                              tail));
              }),
              HasSubstr("send[0]: only the last channel may leave out \"sources\""));
  EXPECT_THAT(error_of([&] {
                load_adapter(
                    write_temp("a6.json", R"({"schema": "twincert.adapter/1", "name": "x", "send": [
                  {"sources": ["AI*"], "to": "tcp://127.0.0.1:${port.ais}"},
                  {"to": "carrier-pigeon://x"}])" +
                                              tail));
              }),
              HasSubstr("send[1]: "));
  EXPECT_THAT(error_of([&] { load_adapter("/nonexistent/adapter.json"); }),
              HasSubstr("cannot read twin adapter"));
}

TEST(CampaignTest, TheDefaultCampaignCoversEveryFaultKindInAtLeastFortyCases) {
  const Campaign c = load_campaign(kFixtures / "campaigns/default.json");
  EXPECT_GE(c.cases.size(), 40U);
  std::set<std::string> ids;
  std::set<std::string> kinds;
  for (const auto& s : c.cases) {
    ids.insert(s.id);
    for (const auto& f : s.faults) kinds.insert(f.substr(0, f.find(':')));
  }
  EXPECT_EQ(ids.size(), c.cases.size());
  EXPECT_TRUE(std::is_sorted(c.cases.begin(), c.cases.end(),
                             [](const auto& a, const auto& b) { return a.id < b.id; }));
  EXPECT_EQ(kinds.size(), 26U) << "one case per fault kind at least";
  EXPECT_TRUE(ids.contains("open-sea-transit/dropout-HE0001/s3"));
  EXPECT_TRUE(ids.contains("open-sea-transit/normal/s1"));
}

TEST(CampaignTest, ShardsAreDisjointAndTogetherHoldEveryCase) {
  const Campaign c = load_campaign(kFixtures / "campaigns/default.json");
  std::multiset<std::string> seen;
  for (unsigned i = 1; i <= 3; ++i) {
    for (const auto& s : cases_of_shard(c.cases, {i, 3})) seen.insert(s.id);
  }
  EXPECT_EQ(seen.size(), c.cases.size());
  for (const auto& s : c.cases) EXPECT_EQ(seen.count(s.id), 1U) << s.id;
  EXPECT_EQ(parse_shard("2/4").index, 2U);
  EXPECT_THAT(error_of([] { parse_shard("5/4"); }), HasSubstr("expected I/N"));
  EXPECT_THAT(error_of([] { parse_shard("0/4"); }), HasSubstr("expected I/N"));
  EXPECT_THAT(error_of([] { parse_shard("x"); }), HasSubstr("expected I/N"));
}

TEST(CampaignTest, AFaultTheScenarioCannotTakeIsFoundWhenTheCampaignLoads) {
  const std::string adapter = (kFixtures / "adapters/reference-twin.json").string();
  const std::string rules = (kFixtures / "rules/vdr-twin.json").string();
  const auto path = write_temp("c1.json", R"({"schema": "twincert.campaign/1", "id": "c",
      "adapter": ")" + adapter + R"(", "rules": ")" +
                                              rules + R"(",
      "matrix": [{"scenarios": ["open-sea-transit"], "duration_s": 600,
                  "faults": [["dropout:XX0001@10+10"]]}]})");
  EXPECT_THAT(error_of([&] { load_campaign(path); }), HasSubstr("matrix[0]"));
  const auto twice = write_temp("c2.json", R"({"schema": "twincert.campaign/1", "id": "c",
      "adapter": ")" + adapter + R"(", "rules": ")" +
                                               rules + R"(",
      "matrix": [{"scenarios": ["open-sea-transit"], "seeds": [1, 1]}]})");
  EXPECT_THAT(error_of([&] { load_campaign(twice); }), HasSubstr("twice"));
  const auto repeated = write_temp("c3.json", R"({"schema": "twincert.campaign/1", "id": "c",
      "adapter": ")" + adapter + R"(", "rules": ")" +
                                                  rules + R"(", "repetitions": 3,
      "matrix": [{"scenarios": ["open-sea-transit"], "seeds": [1]}]})");
  const Campaign c = load_campaign(repeated);
  ASSERT_EQ(c.cases.size(), 3U);
  EXPECT_EQ(c.cases[2].id, "open-sea-transit/normal/s1/r3");
}

TEST(ObserverTest, EmittedLinesTakeTheirTimeFromTheTagBlockOnStreamTime) {
  ObserverClock clock;
  clock.start_unix_s = 1'000'000;
  rules::Observations o;
  observe_emitted_line("\\c:1000060,s:VR0001*0E\\$VRHBT,60,A,3*02\r\n", 5.0, clock, o);
  observe_emitted_line("$VRHBT,60,A,4*05", 7.0, clock, o);
  ASSERT_EQ(o.sentences.size(), 2U);
  EXPECT_EQ(o.sentences[0].t_s, 60.0);
  EXPECT_EQ(o.sentences[0].text, "\\c:1000060,s:VR0001*0E\\$VRHBT,60,A,3*02");
  EXPECT_EQ(o.sentences[1].t_s, 7.0);  // no tag block: the arrival
  EXPECT_EQ(o.heartbeats_s, (std::vector<double>{60.0, 7.0}));
  clock.time = TwinTime::kArrival;
  observe_emitted_line("\\c:1000060,s:VR0001*0E\\$VRALF,1*52", 9.0, clock, o);
  EXPECT_EQ(o.sentences.back().t_s, 9.0);
}

TEST(ObserverTest, TimesAreUnixSecondsOrIsoText) {
  EXPECT_EQ(unix_seconds_of(nlohmann::json(1749875400.5)), 1749875400.5);
  EXPECT_EQ(unix_seconds_of(nlohmann::json("2025-06-14T04:30:00.5Z")), 1749875400.5);
  EXPECT_EQ(unix_seconds_of(nlohmann::json("2025-06-14T04:30:00Z")), 1749875400.0);
  EXPECT_FALSE(unix_seconds_of(nlohmann::json("2025-06-14 04:30")).has_value());
  EXPECT_FALSE(unix_seconds_of(nlohmann::json("2025-06-14T04:30:00+02:00")).has_value());
  EXPECT_FALSE(unix_seconds_of(nlohmann::json(nullptr)).has_value());
}

}  // namespace
}  // namespace twincert::harness
