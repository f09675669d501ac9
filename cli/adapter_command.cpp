// twincert adapter check: a dry run of a twin adapter. Wiring and printing only; the run and
// its report are harness::check_adapter (harness/adapter_check.hpp).
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>

#include "twincert/base/config_error.hpp"
#include "twincert/cli/version.hpp"
#include "twincert/harness/adapter_check.hpp"

#include "commands.hpp"
#include "locations.hpp"
#include <unistd.h>

namespace twincert::cli {

namespace {

struct AdapterCheckCommandOptions {
  std::string adapter;
  std::string scenario = "open-sea-transit";
  double seconds = 60.0;
  std::uint64_t seed = 1;
  std::string out;
  std::string reference_twin;
  bool allow_external = false;
};

std::string number_text(double v) {
  std::ostringstream s;
  s.precision(9);
  s << v;
  return s.str();
}

// One line per mapping: a mark (yes / NO / -), the key and pointer, and what it found.
void print_mapping(const harness::MappingCheck& m) {
  const char* mark = m.untried ? "  -  " : (m.yielded() ? " yes " : " NO  ");
  std::cout << mark << m.key;
  if (!m.pointer.empty()) std::cout << " \"" << m.pointer << '"';
  std::cout << ": ";
  if (m.untried) {
    std::cout << "nothing to look in ("
              << (m.key.ends_with(".time") ? "the value was never a number"
                  : m.affects == "targets" ? "no target listed"
                                           : "no alert listed")
              << ")\n";
    return;
  }
  if (m.answers == 0) {
    std::cout << "never looked for: no answer from the twin\n";
    return;
  }
  std::cout << m.expected << " in " << m.found << " of " << m.answers;
  if (m.absent > 0) std::cout << "; no such key in " << m.absent;
  if (m.nulls > 0) std::cout << "; null in " << m.nulls;
  if (!m.other.empty()) std::cout << "; " << m.other << " instead";
  if (!m.first_values.empty()) {
    std::cout << "; first values";
    for (const double v : m.first_values) std::cout << ' ' << number_text(v);
  }
  std::cout << '\n';
}

int run_adapter_check(const AdapterCheckCommandOptions& o) {
  const harness::TwinAdapter adapter = harness::load_adapter(o.adapter);
  harness::AdapterCheckOptions options;
  options.scenario = o.scenario;
  options.seconds = o.seconds;
  options.seed = o.seed;
  options.reference_twin = reference_twin_path(o.reference_twin);
  options.allow_external = o.allow_external;
  options.tool = std::string("twincert ") + TWINCERT_VERSION + " (build " + TWINCERT_BUILD_ID + ")";
  if (o.out.empty()) {
    std::string dir = (std::filesystem::temp_directory_path() / "twincert-adapter-check-XXXXXX");
    if (::mkdtemp(dir.data()) == nullptr) {
      std::cerr << "twincert adapter check: cannot make a folder in "
                << std::filesystem::temp_directory_path() << '\n';
      return kExitToolFailed;
    }
    options.work_dir = dir;
  } else {
    options.work_dir = o.out;
  }
  std::cerr << "adapter " << adapter.name << ": " << o.seconds << " s of " << o.scenario
            << " (seed " << o.seed << ") ...\n";
  const harness::AdapterCheckReport r = harness::check_adapter(adapter, options);

  std::cout << "adapter " << r.adapter << ": " << r.frames_sent
            << " frames in the stream; twin log and "
            << "observations in " << r.case_dir.string() << '\n';
  if (!r.error.empty()) std::cout << "the run: " << r.error << '\n';
  std::cout << "mappings (yes: yielded, NO: found nothing, -: nothing to look in):\n";
  std::size_t missing = 0;
  for (const auto& m : r.mappings) {
    print_mapping(m);
    if (!m.untried && !m.yielded()) ++missing;
  }
  std::cout << "alerts raised:";
  if (r.alert_words.empty()) std::cout << " none";
  for (const auto& [words, n] : r.alert_words) std::cout << "\n  " << words << " (" << n << ")";
  std::cout << '\n';
  if (!r.unknown_conditions.empty()) {
    std::cout << "conditions not in twincert's vocabulary (docs/formats/truth.md):";
    for (const auto& c : r.unknown_conditions) std::cout << ' ' << c;
    std::cout << '\n';
  }
  std::cout << "sentences emitted (observe.nmea): " << r.sentences << ", of them HBT "
            << r.heartbeats << '\n';
  for (const auto& p : r.problems) std::cout << "problem: " << p << '\n';
  if (r.all_yielded()) {
    std::cout << "result: every mapping yielded something\n";
    return kExitOk;
  }
  if (!r.started) {
    std::cout << "result: the twin was never observed\n";
  } else {
    std::cout << "result: " << missing << " of " << r.mappings.size()
              << " mappings found nothing\n";
  }
  return kExitChecksFailed;
}

}  // namespace

std::function<int()> add_adapter_command(CLI::App& app) {
  auto* adapter = app.add_subcommand("adapter", "Work on a twin adapter (see: adapter check)");
  adapter->require_subcommand(1);
  auto* check = adapter->add_subcommand(
      "check",
      "A dry run of a twin adapter: starts the twin as ADAPTER says, sends it a short normal "
      "stream, observes it as a case would, and prints per mapping what it yielded: answers, "
      "values found (and the first ones), keys absent or null, what was there instead, alert "
      "words seen and those outside twincert's vocabulary, the twin's sentences, liveness "
      "probes and process samples. No rule is judged.\n"
      "Exit status: 0 every mapping yielded something, 1 some found nothing (or the twin was "
      "never observed), 2 usage or configuration error (adapter, scenario), 3 tool failure.");
  auto o = std::make_shared<AdapterCheckCommandOptions>();
  check->add_option("ADAPTER", o->adapter, "Twin adapter file (docs/formats/adapter.md)")
      ->required();
  check->add_option("--scenario", o->scenario,
                    "Built-in scenario or scenario file to send (default open-sea-transit)");
  check->add_option("--seconds", o->seconds, "Seconds of stream to send, > 0 (default 60)");
  check->add_option("--seed", o->seed, "Seed of the stream (default 1)");
  check->add_option("--out", o->out,
                    "Folder for the bundle, twin log and observations (default: a new folder "
                    "under the temporary directory, kept and named in the output)");
  check->add_option("--reference-twin", o->reference_twin,
                    "Path of twincert-reference-twin for ${reference_twin}");
  check->add_flag("--allow-external", o->allow_external,
                  "Allow send targets beyond this host (refused by default)");
  return [adapter, check, o] {
    if (adapter->got_subcommand(check)) return run_adapter_check(*o);
    return kExitUsage;
  };
}

}  // namespace twincert::cli
