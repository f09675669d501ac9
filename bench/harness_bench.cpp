// Harness figures: replay top speed to a loopback UDP socket (datagrams/s, one IEC 61162-450
// datagram per line of a generated voyage), and pacing error at 1 kHz real time (p50/p99/max
// lateness against absolute deadlines, reported as counters). Rule evaluation throughput. A
// 24-hour voyage in virtual time against the reference twin: TCP at top speed, timed until the
// twin has taken in every line (its /metrics count). What the adapter's mapping language costs
// per observation: a value's unit conversion, a table's rows (a list, an object keyed by a regex
// capture), an alert word through a vocabulary (exact, any case, regex with a capture), and a
// sentence the twin emitted through observe.sentences (a value by field name or position, an
// ALR or ALF through a vocabulary).
//
//   cmake --preset bench && cmake --build --preset bench --target harness_bench
//   build/bench/bench/harness_bench
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "twincert/generators/scenario.hpp"
#include "twincert/generators/simulation.hpp"
#include "twincert/harness/child_process.hpp"
#include "twincert/harness/mapping.hpp"
#include "twincert/harness/replay.hpp"
#include "twincert/harness/sentence_observer.hpp"
#include "twincert/harness/stream_clock.hpp"
#include "twincert/harness/units.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"
#include "twincert/rules/evaluate.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using namespace twincert;

std::vector<harness::Frame> voyage(const char* name, double seconds) {
  const auto scenario = generators::load_scenario(name);
  generators::Simulation sim(scenario, 7);
  std::string text;
  nmea0183::TagBlock tag;
  sim.run(
      seconds,
      [&](double t, std::size_t /*sensor_index*/, const generators::SensorSpec& sensor,
          std::string_view sentence) {
        tag.unix_time = scenario.start_unix_s + static_cast<std::int64_t>(t);
        tag.relative_time = static_cast<std::int64_t>(t * 1000.0);
        tag.source = sensor.source;
        text += nmea0183::format_tag_block(tag);
        text += sentence;
      },
      nullptr);
  return harness::frames_of(text);
}

// A UDP sink on loopback drained by a thread, so the sender measures itself, not a full buffer.
struct Drain {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  std::uint16_t port = 0;
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> received{0};
  std::thread reader;
  Drain() {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);  // NOLINT
    socklen_t n = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);  // NOLINT
    port = ntohs(a.sin_port);
    timeval tv{0, 100000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    reader = std::thread([this] {
      char buffer[2048];
      while (!stop) {
        if (::recv(fd, buffer, sizeof buffer, 0) > 0) ++received;
      }
    });
  }
  ~Drain() {
    stop = true;
    reader.join();
    ::close(fd);
  }
  Drain(const Drain&) = delete;
  Drain& operator=(const Drain&) = delete;
};

void BM_ReplayTopSpeedUdp(benchmark::State& state) {
  const auto frames = voyage("coastal-transit", 120.0);
  Drain drain;
  const auto target = harness::parse_target("udp://127.0.0.1:" + std::to_string(drain.port));
  harness::ReplayOptions options;
  options.pacing = harness::parse_pacing("max");
  harness::StreamClock clock;  // what a case runs with: observers stamp arrivals from it
  if (state.range(0) != 0) options.stream_clock = &clock;
  std::size_t bytes = 0;
  for (auto _ : state) bytes += harness::replay(frames, target, options).bytes;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(frames.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["received_share"] =
      static_cast<double>(drain.received) /
      (static_cast<double>(state.iterations()) * static_cast<double>(frames.size()));
  state.SetLabel(std::string("coastal-transit 120 s, one 450 datagram per line, loopback UDP") +
                 (state.range(0) != 0 ? ", stream clock" : ""));
}

void BM_PacingAt1kHz(benchmark::State& state) {
  std::vector<harness::Frame> frames;
  for (int i = 0; i < 10000; ++i) {  // 10 s at 1 kHz
    harness::Frame f;
    f.at_s = i / 1000.0;
    f.line = "$HEHDT,123.4,T*00";
    f.source = "HE0001";
    frames.push_back(f);
  }
  Drain drain;
  const auto target = harness::parse_target("udp://127.0.0.1:" + std::to_string(drain.port));
  harness::ReplayOptions options;
  options.pacing = harness::parse_pacing("realtime");
  harness::LatenessStats stats;
  for (auto _ : state) stats = harness::replay(frames, target, options).lateness;
  state.counters["p50_us"] = stats.p50_us;
  state.counters["p99_us"] = stats.p99_us;
  state.counters["max_us"] = stats.max_us;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(frames.size()));
  state.SetLabel("10 s of 1 kHz frames, realtime, loopback UDP");
}

void BM_EvaluateRules(benchmark::State& state) {
  rules::Truth truth;
  truth.duration_s = 86400;
  for (int s = 0; s <= 86400; ++s) {
    truth.state.t_s.push_back(s);
    truth.state.values["heading_deg"].push_back(std::fmod(s * 0.01, 360.0));
  }
  for (int i = 0; i < 200; ++i)
    truth.expectations.push_back({"input_lost", "HE0001", i * 400.0, i * 400.0 + 60});
  rules::Observations o;
  for (int i = 0; i < 86400 * 5; ++i)
    o.values.push_back({i / 5.0, "heading_deg", std::fmod(i / 5.0 * 0.01, 360.0)});
  for (int i = 0; i < 200; ++i) {
    o.alerts.push_back({i * 400.0 + 4, "input_lost", "HE0001", rules::AlertChange::kRaised});
    o.alerts.push_back({i * 400.0 + 65, "input_lost", "HE0001", rules::AlertChange::kCleared});
  }
  std::vector<rules::Rule> rule_set(4);
  rule_set[0].kind = rules::RuleKind::kAccuracy;
  rule_set[0].quantity = "heading_deg";
  rule_set[0].angle = true;
  rule_set[0].tolerance = 1.0;
  rule_set[1].kind = rules::RuleKind::kDeadline;
  rule_set[2].kind = rules::RuleKind::kRecovery;
  rule_set[3].kind = rules::RuleKind::kNoFalseAlarm;
  for (auto _ : state) benchmark::DoNotOptimize(rules::evaluate_all(rule_set, truth, o));
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(o.values.size() + o.alerts.size()));
  state.SetLabel("24 h: 432000 heading values at 5 Hz, 400 alert changes, 4 rules");
}

// The twin's count of lines taken in, from GET /metrics over a plain socket (-1 when it does
// not answer).
double lines_taken(std::uint16_t http_port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(http_port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string body;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {  // NOLINT
    const std::string request = "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    if (::send(fd, request.data(), request.size(), 0) > 0) {
      char buffer[4096];
      for (ssize_t n = 0; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
        body.append(buffer, static_cast<std::size_t>(n));
      }
    }
  }
  ::close(fd);
  const auto at = body.find("\"lines\":");
  return at == std::string::npos ? -1.0 : std::strtod(body.c_str() + at + 8, nullptr);
}

void BM_VirtualVoyage24hAgainstReferenceTwin(benchmark::State& state) {
  const auto frames = voyage("coastal-transit", 86400.0);
  for (auto _ : state) {
    state.PauseTiming();
    const std::uint16_t http = harness::free_port();
    const std::uint16_t input = harness::free_port();
    harness::ProcessSpec spec;
    spec.command = {TWINCERT_REFERENCE_TWIN,
                    "--clock",
                    "stream",
                    "--no-multicast",
                    "--no-alerts",
                    "--quiet",
                    "--http",
                    "127.0.0.1:" + std::to_string(http),
                    "--tcp",
                    "127.0.0.1:" + std::to_string(input)};
    spec.log = "/dev/null";
    harness::ChildProcess twin(spec);
    harness::Readiness ready;
    ready.probe = harness::ReadyProbe::kHttp200;
    ready.port = http;
    ready.path = "/ready";
    if (!twin.wait_ready(ready).ready) {
      state.SkipWithError("the reference twin did not start");
      return;
    }
    harness::ReplayOptions options;
    options.pacing = harness::parse_pacing("max");
    const auto target = harness::parse_target("tcp://127.0.0.1:" + std::to_string(input));
    state.ResumeTiming();
    const auto report = harness::replay(frames, target, options);
    double taken = 0.0;
    while ((taken = lines_taken(http)) >= 0.0 && taken < static_cast<double>(report.frames)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    state.PauseTiming();
    state.counters["replay_s"] = report.duration_s;
    state.counters["taken_share"] = taken / static_cast<double>(frames.size());
    twin.stop();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(frames.size()));
  state.SetLabel("coastal-transit 24 h (" + std::to_string(frames.size()) +
                 " lines), TCP max into the reference twin, stream clock");
}

// The mapping language on a twin's answer: per row of a target table of state.range(0) entries.
nlohmann::json vessels(std::int64_t n, bool keyed) {
  nlohmann::json j = keyed ? nlohmann::json::object() : nlohmann::json::array();
  for (std::int64_t i = 0; i < n; ++i) {
    nlohmann::json v = {{"mmsi", 211000000 + i}, {"lat", 52.1}, {"lon", 4.05}};
    if (keyed) {
      j["urn:mrn:imo:mmsi:" + std::to_string(211000000 + i)] = v;
    } else {
      j.push_back(v);
    }
  }
  return keyed ? nlohmann::json{{"vessels", j}} : nlohmann::json{{"targets", j}};
}

void BM_MappingRowsOfList(benchmark::State& state) {
  const auto answer = vessels(state.range(0), false);
  const harness::Table table = harness::list_at("/targets");
  for (auto _ : state) benchmark::DoNotOptimize(harness::rows_of(table, answer));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetLabel("rows of a list");
}

void BM_MappingRowsOfKeyedObject(benchmark::State& state) {
  const auto answer = vessels(state.range(0), true);
  harness::Table table = harness::list_at("/vessels");
  table.levels[0].shape = harness::TableShape::kKeyed;
  table.levels[0].key = harness::compile_word_regex("urn:mrn:imo:mmsi:([0-9]{9})");
  for (auto _ : state) benchmark::DoNotOptimize(harness::rows_of(table, answer));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetLabel("rows of an object keyed by urn:mrn:imo:mmsi:(9 digits)");
}

void BM_MappingTranslateWord(benchmark::State& state) {
  std::vector<harness::WordRule> rules(1);
  rules[0].match = static_cast<harness::WordMatch>(state.range(0));
  rules[0].pattern = rules[0].match == harness::WordMatch::kRegex ? "(?i)(\\w+)_lost" : "gyro_lost";
  if (rules[0].match == harness::WordMatch::kRegex) {
    rules[0].regex = harness::compile_word_regex(rules[0].pattern);
  }
  rules[0].to = "input_lost";
  rules[0].subject = "$1";
  const std::string word = "GYRO_LOST";
  for (auto _ : state) benchmark::DoNotOptimize(harness::translate(rules, word));
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) == 0   ? "exact (no match)"
                 : state.range(0) == 1 ? "any case"
                                       : "regex");
}

void BM_MappingValueTransform(benchmark::State& state) {
  harness::ValueTransform t;
  t.scale = 0.01;
  t.to_truth = *harness::units::conversion(*harness::units::find_unit("m/s"),
                                           *harness::units::find_unit("kn"));
  double raw = 512.0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(t(raw));
    raw += 1.0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("cm/s -> kn");
}

// One sentence the twin emitted through observe.sentences (harness/sentence_observer.hpp): a
// value by the typed decoder's field name (0: HDT heading_true_deg; 1: RMC latitude with its
// status checked) or by position (2: HDT field 1), and alert sentences through a vocabulary (3:
// an ALR raise or clear, regex condition, exact subject; 4: an ALF pair, per sentence).
void BM_SentenceMapping(benchmark::State& state) {
  const auto kind = state.range(0);
  harness::SentenceMaps maps;
  std::vector<std::string> lines;
  const auto checked = [](const std::string& body) {
    unsigned sum = 0;
    for (std::size_t i = 1; i < body.size(); ++i) sum ^= static_cast<unsigned char>(body[i]);
    char hex[4];  // NOLINT
    std::snprintf(hex, sizeof hex, "*%02X", sum);
    return body + hex + "\r\n";
  };
  if (kind <= 2) {
    harness::SentenceValueMap m;
    m.name = kind == 1 ? "lat" : "heading_deg";
    m.formatter = kind == 1 ? "RMC" : "HDT";
    m.field = kind == 1   ? harness::SentenceField{"latitude", 0}
              : kind == 0 ? harness::SentenceField{"heading_true_deg", 0}
                          : harness::SentenceField{"", 1};
    if (kind == 1) {
      m.when_field = harness::SentenceField{"status", 0};
      m.when_equals = "A";
    }
    maps.values.push_back(m);
    lines.push_back(kind == 1
                        ? checked("$GPRMC,120000.00,A,5430.1234,N,01000.5678,E,5.4,10.0,010125,,,A")
                        : checked("$HEHDT,274.53,T"));
  } else {
    harness::SentenceAlerts a;
    harness::WordRule lost;
    lost.match = harness::WordMatch::kRegex;
    lost.pattern = "(?i).+ lost";
    lost.regex = harness::compile_word_regex(lost.pattern);
    lost.to = "input_lost";
    a.conditions.push_back(lost);
    harness::WordRule gyro;
    gyro.pattern = kind == 3 ? "001" : "SOURCE HE0001";
    gyro.to = "HE0001";
    a.subjects.push_back(gyro);
    if (kind == 3) a.subject = harness::AlertPart::kId;
    maps.alerts = a;
    if (kind == 3) {
      lines = {checked("$VRALR,120000.00,001,A,V,GYRO LOST"),
               checked("$VRALR,120010.00,001,V,V,GYRO LOST")};
    } else {
      lines = {checked("$VRALF,2,1,3,120000.00,B,W,V,TWN,10101,1,1,0,INPUT LOST"),
               checked("$VRALF,2,2,3,,,,,TWN,10101,1,1,0,SOURCE HE0001"),
               checked("$VRALF,2,1,4,120010.00,B,W,N,TWN,10101,1,2,0,INPUT LOST"),
               checked("$VRALF,2,2,4,,,,,TWN,10101,1,2,0,SOURCE HE0001")};
    }
  }
  harness::SentenceObserver reader(maps);
  rules::Observations o;
  std::size_t i = 0;
  for (auto _ : state) {
    reader.take(lines[i++ % lines.size()], 1.0, o);
    if (o.values.size() + o.alerts.size() > 4096) {
      o.values.clear();
      o.alerts.clear();
    }
  }
  state.SetItemsProcessed(state.iterations());
  constexpr std::array<const char*, 5> kLabels = {
      "HDT heading_true_deg by name", "RMC latitude by name, when status A",
      "HDT field 1 by position", "ALR raise/clear, regex condition, exact subject",
      "ALF pair, per sentence, regex condition, exact subject"};
  state.SetLabel(kLabels.at(static_cast<std::size_t>(kind)));
}

BENCHMARK(BM_ReplayTopSpeedUdp)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PacingAt1kHz)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_EvaluateRules)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_VirtualVoyage24hAgainstReferenceTwin)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace

BENCHMARK(BM_MappingRowsOfList)->Arg(250);
BENCHMARK(BM_MappingRowsOfKeyedObject)->Arg(250);
BENCHMARK(BM_MappingTranslateWord)->Arg(0)->Arg(1)->Arg(2);
BENCHMARK(BM_MappingValueTransform);
BENCHMARK(BM_SentenceMapping)->DenseRange(0, 4);

BENCHMARK_MAIN();
