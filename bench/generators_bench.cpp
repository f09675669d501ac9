// Generation throughput: simulate a scenario and format every sentence with its tag block, as
// the bundle writer does (file writing excluded); and the whole bundle writer (stream.nmea with
// tag blocks and checksums, truth.jsonl, SHA-256 of both, manifest) into a temporary folder;
// and, as the floor under the latter, only hashing and writing the same bytes.
//
//   cmake --preset bench && cmake --build --preset bench --target generators_bench
//   build/bench/bench/generators_bench
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "twincert/base/sha256.hpp"
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

// 600 s of seed 7 into `folder` under the temporary directory.
twincert::generators::BundleOptions bundle_options(const char* folder) {
  twincert::generators::BundleOptions options;
  options.out_dir = std::filesystem::temp_directory_path() / folder;
  options.seed = 7;
  options.duration_s = 600.0;
  return options;
}

void BM_WriteBundle(benchmark::State& state, const char* name) {
  const Scenario scenario = twincert::generators::load_scenario(name);
  const twincert::generators::BundleOptions options = bundle_options("twincert-bench-bundle");
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

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The floor under BM_WriteBundle: only hashing and writing the bytes a coastal bundle has
// (stream.nmea and truth.jsonl, SHA-256 of each, written in 64 KiB blocks into an empty folder),
// nothing simulated or formatted. Items are the bundle's sentences, so the figure is the
// sentences/s no generator could exceed on this machine while writing and hashing its output.
void BM_HashAndWriteBundleBytes(benchmark::State& state, const char* name) {
  const Scenario scenario = twincert::generators::load_scenario(name);
  const twincert::generators::BundleOptions options = bundle_options("twincert-bench-bytes-source");
  std::filesystem::remove_all(options.out_dir);
  const std::uint64_t sentences = twincert::generators::write_bundle(scenario, options).sentences;
  const std::vector<std::pair<std::string, std::string>> files = {
      {"stream.nmea", read_all(options.out_dir / "stream.nmea")},
      {"truth.jsonl", read_all(options.out_dir / "truth.jsonl")}};
  std::filesystem::remove_all(options.out_dir);
  const auto out_dir = std::filesystem::temp_directory_path() / "twincert-bench-bytes";
  constexpr std::size_t kBlock = std::size_t{64} * 1024;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(out_dir);
    std::filesystem::create_directories(out_dir);
    state.ResumeTiming();
    bytes = 0;
    for (const auto& [file, content] : files) {
      std::ofstream out(out_dir / file, std::ios::binary | std::ios::trunc);
      for (std::size_t at = 0; at < content.size(); at += kBlock) {
        out.write(content.data() + at,
                  static_cast<std::streamsize>(std::min(kBlock, content.size() - at)));
      }
      benchmark::DoNotOptimize(twincert::sha256_hex(content));
      bytes += static_cast<std::int64_t>(content.size());
    }
  }
  std::filesystem::remove_all(out_dir);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(sentences));
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetLabel(std::string(name) +
                 ", 600 s: the bundle's bytes hashed and written, no generation");
}
BENCHMARK_CAPTURE(BM_HashAndWriteBundleBytes, coastal, "coastal-transit")
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
