// observe.streams in an adapter: the transport follows the URL's scheme, values of a delta
// stream are mapped by path (their pointers then point into {"<path>": {"value", "timestamp"}}),
// and what is not a stream is an error naming the file and key.
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/adapter.hpp"

namespace twincert::harness {
namespace {

using ::testing::HasSubstr;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TwinAdapter adapter_observing(const std::string& name, const std::string& observe) {
  const auto dir = std::filesystem::temp_directory_path() / "twincert-streams-config-test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name) << R"({"schema": "twincert.adapter/1", "name": "x",
      "send": "udp://127.0.0.1:1", "start": {"command": ["true"], "ready": {"port": "127.0.0.1:1"}},
      "observe": )" + observe + "}";
  return load_adapter(dir / name);
}

TEST(StreamsConfigTest, TheSchemeChoosesTheTransport) {
  const TwinAdapter a = adapter_observing("s1.json", R"({"streams": [
      {"connect": "tcp://127.0.0.1:2947", "values": {"lat": "/lat"}},
      {"connect": "ws://127.0.0.1:3000/signalk/v1/stream", "send": "{}",
       "values": {"lat": "/lat"}},
      {"connect": "http://127.0.0.1:3000/events", "values": {"lat": "/lat"}}]})");
  ASSERT_EQ(a.observe.json_lines.size(), 3U);
  EXPECT_EQ(a.observe.json_lines[0].transport, StreamTransport::kJsonLines);
  EXPECT_EQ(a.observe.json_lines[1].transport, StreamTransport::kWebSocket);
  EXPECT_EQ(a.observe.json_lines[2].transport, StreamTransport::kServerSentEvents);
  EXPECT_EQ(a.observe.json_lines[1].key, "observe.streams[1]");
  EXPECT_EQ(a.observe.json_lines[1].opening, "{}");
}

TEST(StreamsConfigTest, DeltaValuesAreMappedByPath) {
  const TwinAdapter a = adapter_observing("s2.json", R"({"streams": [
      {"connect": "ws://127.0.0.1:3000/", "deltas": true, "values": {
        "lat": {"path": "navigation.position", "value": "/latitude"},
        "sog_kn": {"path": "navigation.speedOverGround", "unit": "m/s"},
        "depth_m": {"path": "a/b~c"}}}]})");
  const auto& s = a.observe.json_lines.at(0);
  ASSERT_TRUE(s.deltas.has_value());
  EXPECT_EQ(s.deltas->updates, "/updates");
  ASSERT_EQ(s.values.size(), 3U);
  for (const auto& v : s.values) {
    if (v.name == "lat") {
      EXPECT_EQ(v.value_pointer, "/navigation.position/value/latitude");
      EXPECT_EQ(v.time_pointer, "/navigation.position/timestamp");
    } else if (v.name == "sog_kn") {
      EXPECT_EQ(v.value_pointer, "/navigation.speedOverGround/value");
      EXPECT_NEAR(v.transform(1.0), 1.943844, 1e-6);  // m/s in knots
    } else {
      EXPECT_EQ(v.value_pointer, "/a~1b~0c/value");  // a path is one key, escaped
    }
  }
}

TEST(StreamsConfigTest, WhatIsNoStreamIsAnErrorNamingTheKey) {
  EXPECT_THAT(
      error_of([] { adapter_observing("e1.json", R"({"streams": [{"connect": "mqtt://h:1"}]})"); }),
      HasSubstr("e1.json: observe.streams[0].connect: \"mqtt://h:1\" (tcp://HOST:PORT for "
                "JSON lines, ws://HOST:PORT/PATH for WebSocket"));
  EXPECT_THAT(error_of([] {
                adapter_observing("e2.json", R"({"json_lines": [{"connect": "ws://h:1/"}]})");
              }),
              HasSubstr("observe.json_lines[0].connect: json_lines reads tcp://HOST:PORT; put "
                        "\"ws://h:1/\" under \"streams\""));
  EXPECT_THAT(error_of([] {
                adapter_observing("e3.json", R"({"streams": [{"connect": "ws://h:1/",
                  "deltas": true, "values": {"lat": "/lat"}}]})");
              }),
              HasSubstr("observe.streams[0]: values.lat: a stream with \"deltas\" maps each value "
                        "by its path"));
  EXPECT_THAT(error_of([] {
                adapter_observing("e4.json", R"({"streams": [{"connect": "ws://h:1/",
                  "deltas": {"updates": "nope"}}]})");
              }),
              HasSubstr("observe.streams[0].deltas.updates"));
  EXPECT_THAT(error_of([] {
                adapter_observing("e5.json", R"({"streams": [{"connect": "ws://h:1/",
                  "deltas": false}]})");
              }),
              HasSubstr("observe.streams[0].deltas: true (Signal K's shape)"));
}

}  // namespace
}  // namespace twincert::harness
