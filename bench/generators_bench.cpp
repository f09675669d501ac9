// Generation throughput: simulate a scenario and format every sentence with its tag block, as
// the bundle writer does (file writing excluded); and the whole bundle writer (stream.nmea with
// tag blocks and checksums, truth.jsonl, SHA-256 of both, manifest) into a temporary folder.
//
//   cmake --preset bench && cmake --build --preset bench --target generators_bench
//   build/bench/bench/generators_bench
#include <filesystem>
#include <string>
#include <vector>

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
    twincert::nmea0183::TagBlockStamper stamper;
    std::string line;
    std::vector<std::int64_t> line_counts(scenario.sensors.size(), 0);
    sim.run(
        600.0,
        [&](double t, std::size_t index, const SensorSpec& sensor, std::string_view sentence) {
          line.clear();
          stamper.append(scenario.start_unix_s + static_cast<std::int64_t>(t), ++line_counts[index],
                         static_cast<std::int64_t>(t * 1000.0), sensor.source, line);
          line += sentence;
          bytes += line.size();
          ++sentences;
        },
        nullptr);
    benchmark::DoNotOptimize(line);
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
    // Into an empty folder, as a new bundle is written: replacing the last iteration's files
    // would time the file system discarding them (ext4 also flushes a file renamed over another).
    state.PauseTiming();
    std::filesystem::remove_all(options.out_dir);
    state.ResumeTiming();
    sentences = twincert::generators::write_bundle(scenario, options).sentences;
  }
  std::filesystem::remove_all(options.out_dir);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(sentences));
  state.SetLabel(std::string(name) +
                 ", 600 s, bundle with truth and SHA-256 written into an empty folder");
}
BENCHMARK_CAPTURE(BM_WriteBundle, coastal, "coastal-transit")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_GenerateScenario, coastal, "coastal-transit")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
