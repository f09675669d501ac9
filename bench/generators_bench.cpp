// Generation throughput: simulate a scenario and format every sentence with its tag block, as
// the bundle writer does (file writing excluded); and the whole bundle writer (stream.nmea with
// tag blocks and checksums, truth.jsonl, SHA-256 of both, manifest) into a temporary folder.
//
//   cmake --preset bench && cmake --build --preset bench --target generators_bench
//   build/bench/bench/generators_bench
#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>

#include "twincert/generators/bundle.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/generators/simulation.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"

namespace {

using twincert::generators::Scenario;
using twincert::generators::SensorSpec;
using twincert::generators::Simulation;

void BM_GenerateScenario(benchmark::State& state, const char* name) {
  const Scenario scenario = twincert::generators::load_scenario(name);
  std::size_t sentences = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    sentences = 0;
    bytes = 0;
    Simulation sim(scenario, 7);
    twincert::nmea0183::TagBlock tag;
    sim.run(
        600.0,
        [&](double t, const SensorSpec& sensor, std::string_view sentence) {
          tag.unix_time = scenario.start_unix_s + static_cast<std::int64_t>(t);
          tag.relative_time = static_cast<std::int64_t>(t * 1000.0);
          tag.source = sensor.source;
          bytes += twincert::nmea0183::format_tag_block(tag).size() + sentence.size();
          ++sentences;
        },
        nullptr);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(sentences));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.SetLabel(std::string(name) + ", 600 s, standard sensor suite, tag blocks formatted");
}
BENCHMARK_CAPTURE(BM_GenerateScenario, open_sea, "open-sea-transit")->Unit(benchmark::kMillisecond);

void BM_WriteBundle(benchmark::State& state, const char* name) {
  const Scenario scenario = twincert::generators::load_scenario(name);
  twincert::generators::BundleOptions options;
  options.out_dir = std::filesystem::temp_directory_path() / "twincert-bench-bundle";
  options.seed = 7;
  options.duration_s = 600.0;
  std::uint64_t sentences = 0;
  for (auto _ : state) {
    sentences = twincert::generators::write_bundle(scenario, options).sentences;
  }
  std::filesystem::remove_all(options.out_dir);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(sentences));
  state.SetLabel(std::string(name) + ", 600 s, bundle with truth and SHA-256 written");
}
BENCHMARK_CAPTURE(BM_WriteBundle, coastal, "coastal-transit")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_GenerateScenario, coastal, "coastal-transit")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
