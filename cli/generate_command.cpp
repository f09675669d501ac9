// twincert generate / twincert scenarios: stream bundles from scenarios.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "twincert/base/config_error.hpp"
#include "twincert/base/duration.hpp"
#include "twincert/cli/version.hpp"
#include "twincert/generators/bundle.hpp"
#include "twincert/generators/faults.hpp"
#include "twincert/generators/scenario.hpp"

#include "commands.hpp"
#include <unistd.h>

namespace twincert::cli {

namespace {

struct GenerateOptions {
  std::string scenario;
  std::uint64_t seed = 1;
  std::string duration;
  std::string out;
  std::vector<std::string> faults;
  bool quiet = false;
  bool pcap = false;
};

int run_generate(const GenerateOptions& o) {
  generators::Scenario scenario = generators::load_scenario(o.scenario);
  for (const std::string& spec : o.faults) {
    generators::add_fault(scenario, generators::parse_fault(spec));
  }
  generators::BundleOptions options;
  options.seed = o.seed;
  options.pcap = o.pcap;
  options.duration_s = o.duration.empty() ? 0.0 : parse_duration_s(o.duration);
  options.out_dir =
      o.out.empty() ? "out/" + scenario.name + "-seed" + std::to_string(o.seed) : o.out;
  options.tool = std::string("twincert ") + TWINCERT_VERSION + " (build " + TWINCERT_BUILD_ID + ")";
  const bool show_progress = !o.quiet && isatty(STDERR_FILENO) != 0;
  if (show_progress) {
    options.progress = [&](double fraction) {
      std::fprintf(stderr, "\rgenerating %s: %3.0f%%", scenario.name.c_str(), 100.0 * fraction);
      std::fflush(stderr);
    };
  }
  const auto summary = generators::write_bundle(scenario, options);
  if (show_progress) std::fprintf(stderr, "\n");
  if (!o.quiet) {
    const double duration = options.duration_s > 0 ? options.duration_s : scenario.duration_s;
    std::cout << "scenario " << scenario.name << ", seed " << o.seed << ", " << duration
              << " s simulated\n"
              << "wrote " << summary.sentences << " sentences from "
              << summary.sentences_by_source.size() << " sources and " << summary.truth_records
              << " truth records to " << options.out_dir.string() << "/\n"
              << "  stream.nmea  sha256 " << summary.sha256.at("stream.nmea") << '\n'
              << "  truth.jsonl  sha256 " << summary.sha256.at("truth.jsonl") << '\n';
    if (o.pcap) std::cout << "  stream.pcap  sha256 " << summary.sha256.at("stream.pcap") << '\n';
  }
  return kExitOk;
}

}  // namespace

std::function<int()> add_generate_command(CLI::App& app) {
  auto o = std::make_shared<GenerateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "generate",
      "Generate a stream bundle (stream.nmea, truth.jsonl, manifest.json[, stream.pcap]) from a "
      "scenario");
  cmd->add_option("--scenario", o->scenario,
                  "Built-in scenario name (see 'twincert scenarios') or a JSON file")
      ->required();
  cmd->add_option("--seed", o->seed, "Seed: the same scenario and seed give byte-identical output")
      ->default_val(1);
  cmd->add_option("--duration", o->duration,
                  "Simulated time, e.g. 90m, 2h, 3600 (default: the scenario's)");
  cmd->add_option("--out", o->out, "Output folder (default: out/SCENARIO-seedN)");
  cmd->add_option("--fault", o->faults,
                  "Inject a fault, KIND:SOURCE@START+DURATION[,key=value...] (repeatable), e.g. "
                  "dropout:HE0001@10m+2m; kinds: 'twincert faults', docs/formats/faults.md");
  cmd->add_flag("--pcap", o->pcap,
                "Also write stream.pcap: every sentence as an IEC 61162-450 datagram to its "
                "transmission group, as on the wire (Wireshark, tcpreplay)");
  cmd->add_flag("--quiet", o->quiet, "Print nothing but errors");
  cmd->footer(
      "Exit status: 0 written, 2 bad scenario or option (the message names the file and JSON "
      "path),\n"
      "3 could not write.\n\nExamples:\n"
      "  twincert generate --scenario open-sea-transit --seed 7 --duration 2h --out bundles/osea\n"
      "  twincert generate --scenario open-sea-transit --fault dropout:HE0001@600+120 \\\n"
      "      --fault checksum:GP0001@20m+5m,probability=0.3\n"
      "  twincert generate --scenario coastal-transit --duration 10m --pcap\n"
      "  twincert generate --scenario my-scenario.json");
  return [o] { return run_generate(*o); };
}

std::function<int()> add_scenarios_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("scenarios", "List the built-in scenarios, one per line");
  (void)cmd;
  return [] {
    for (const auto& s : generators::builtin_scenarios()) {
      std::cout << s.name << std::string(s.name.size() < 24 ? 24 - s.name.size() : 1, ' ')
                << s.description << '\n';
    }
    return kExitOk;
  };
}

std::function<int()> add_faults_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "faults",
      "List the fault kinds for --fault, one per line: level, parameters, effect, and "
      "what a correct twin concludes");
  (void)cmd;
  return [] {
    for (const auto& k : generators::fault_kinds()) {
      std::string line(k.name);
      line.resize(14, ' ');
      line += generators::level_name(k.level);
      line.resize(24, ' ');
      line += k.params.empty() ? "-" : std::string(k.params);
      line.resize(44, ' ');
      line += k.effect;
      if (!k.conclusion.empty()) line += " => " + std::string(k.conclusion);
      std::cout << line << '\n';
    }
    return kExitOk;
  };
}

}  // namespace twincert::cli
