// Reference-twin ingest throughput: a generated voyage's lines (tag blocks included) fed to the
// twin's model in stream time, as its network side would after receiving them; and the same
// lines wrapped one per IEC 61162-450 datagram. Sockets excluded.
//
//   cmake --preset bench && cmake --build --preset bench --target reference_twin_bench
//   build/bench/bench/reference_twin_bench
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "twincert/generators/scenario.hpp"
#include "twincert/generators/simulation.hpp"
#include "twincert/protocols/iec61162_450/datagram.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"

#include "twin.hpp"

namespace {

using twincert::reference_twin::ClockMode;
using twincert::reference_twin::Twin;
using twincert::reference_twin::TwinConfig;

// The lines of `seconds` of a scenario, each "\tag\$sentence" without CR LF.
std::vector<std::string> voyage_lines(const char* name, double seconds) {
  const auto scenario = twincert::generators::load_scenario(name);
  twincert::generators::Simulation sim(scenario, 7);
  std::vector<std::string> lines;
  twincert::nmea0183::TagBlock tag;
  sim.run(
      seconds,
      [&](double t, std::size_t /*sensor_index*/, const twincert::generators::SensorSpec& sensor,
          std::string_view sentence) {
        tag.unix_time = scenario.start_unix_s + static_cast<std::int64_t>(t);
        tag.source = sensor.source;
        std::string line = twincert::nmea0183::format_tag_block(tag);
        line.append(sentence.substr(0, sentence.size() - 2));
        lines.push_back(std::move(line));
      },
      nullptr);
  return lines;
}

void BM_TwinIngestLines(benchmark::State& state, const char* name) {
  const auto lines = voyage_lines(name, 600.0);
  std::size_t bytes = 0;
  for (const auto& l : lines) bytes += l.size() + 2;
  for (auto _ : state) {
    TwinConfig config;
    config.clock = ClockMode::kStream;
    Twin twin(config);
    for (const auto& l : lines) twin.on_line(l, 0.0);
    benchmark::DoNotOptimize(twin.take_outgoing());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(lines.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.SetLabel(std::string(name) + ", 600 s, standard sensor suite, lines with tag blocks");
}

void BM_TwinIngestDatagrams(benchmark::State& state, const char* name) {
  std::vector<std::string> datagrams;
  for (const auto& l : voyage_lines(name, 600.0)) {
    datagrams.push_back(std::string(twincert::iec61162_450::kSentenceToken) + l + "\r\n");
  }
  for (auto _ : state) {
    TwinConfig config;
    config.clock = ClockMode::kStream;
    Twin twin(config);
    for (const auto& d : datagrams) twin.on_datagram(d, 0.0);
    benchmark::DoNotOptimize(twin.take_outgoing());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(datagrams.size()));
  state.SetLabel(std::string(name) + ", 600 s, one 450 datagram per line");
}

BENCHMARK_CAPTURE(BM_TwinIngestLines, coastal, "coastal-transit")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_TwinIngestDatagrams, coastal, "coastal-transit")
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
