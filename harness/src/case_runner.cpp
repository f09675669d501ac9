#include "twincert/harness/case_runner.hpp"

#include <fstream>
#include <memory>

#include "twincert/generators/bundle.hpp"
#include "twincert/generators/faults.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/rules/evaluate.hpp"

#include "case_replay.hpp"
#include "case_verdicts.hpp"
#include "twin_lifecycle.hpp"

// The case's parts, one reason to change each: twin_lifecycle.cpp (ports, start, reset, keep),
// case_replay.cpp (replay while observing, watchdog, flow control, settling), case_verdicts.cpp
// (verdicts and what the adapter is to blame for), case_result_json.cpp (the record). This file
// puts them in order.

namespace twincert::harness {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string bundle_of(const CaseSpec& spec, const CaseSetup& setup,
                      const std::filesystem::path& dir, CaseResult& result) {
  const auto bundle = dir / "bundle";
  result.sha256 = write_case_bundle(spec, bundle, setup.tool).sha256;
  return bundle.string();
}

// Runs the case on a started twin, then keeps the twin for the next case (`keeper`) or stops
// its whole process group.
void end_twin(std::unique_ptr<TwinKeeper::Held> held, const CaseSetup& setup,
              const std::string& bundle, const ReadyResult& ready, TwinKeeper* keeper,
              CaseResult& result, Clock::time_point started) {
  const TwinAdapter& twin = held->twin;
  ChildProcess& process = *held->process;
  if (!ready.ready) {
    result.status = "error";
    result.error = "the twin never became ready: " + ready.reason;
    result.rules = rules::evaluate_all(setup.rules, {}, {});
  } else {
    observe_and_replay(*held, setup, bundle, result, started);
  }
  if (const auto how = process.ended(); how && result.status != "error") {
    result.status = "error";
    result.error = "the twin ended during the case: " + *how;
  }
  result.twin_end = process.ended().value_or("");
  if (result.twin_end.empty() && keeper != nullptr && result.status != "error") {
    result.twin_end = "kept for the next case";
    keeper->held = std::move(held);
  } else if (result.twin_end.empty()) {
    result.twin_end = process.stop(twin.stop_grace);
    if (result.twin_end.starts_with("exited") ||
        result.twin_end.starts_with("killed by signal 15")) {
      result.twin_end = "stopped (" + result.twin_end + ")";
    }
  }
}

}  // namespace

generators::BundleSummary write_case_bundle(const CaseSpec& spec, const std::filesystem::path& dir,
                                            const std::string& tool) {
  generators::Scenario scenario = generators::load_scenario(spec.scenario);
  if (spec.duration_s > 0.0) scenario.duration_s = spec.duration_s;
  for (const auto& f : spec.faults) generators::add_fault(scenario, generators::parse_fault(f));
  generators::BundleOptions options;
  options.seed = spec.seed;
  options.duration_s = spec.duration_s;
  options.out_dir = dir;
  options.tool = tool;
  return generators::write_bundle(scenario, options);
}

std::string folder_name_of(const std::string& case_id) {
  std::string out = case_id;
  for (char& c : out) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '+' || c == '@';
    if (!plain) c = '_';
  }
  return out;
}

CaseResult run_case(const CaseSpec& spec, const CaseSetup& setup, TwinKeeper* keeper) {
  const auto started = Clock::now();
  CaseResult result;
  result.spec = spec;
  result.dir = setup.cases_dir / folder_name_of(spec.id);
  std::filesystem::remove_all(result.dir);
  std::filesystem::create_directories(result.dir);
  const std::string bundle = bundle_of(spec, setup, result.dir, result);

  const bool keep = keeper != nullptr && setup.adapter.between_cases == BetweenCases::kReset;
  ReadyResult ready;
  std::unique_ptr<TwinKeeper::Held> held = keep ? reuse_twin(setup, keeper, result) : nullptr;
  if (held) {
    ready.ready = true;
  } else {
    held = start_twin(setup, result, ready);
    if (result.twin_start.empty()) result.twin_start = "started";
  }
  if (!held->process) {  // not started: its port was taken
    result.status = "error";
    result.error = "the twin was not started: " + ready.reason;
    result.rules = rules::evaluate_all(setup.rules, {}, {});
  } else {
    end_twin(std::move(held), setup, bundle, ready, keep ? keeper : nullptr, result, started);
  }
  if (result.status == "error") mark_errors(result);
  result.wall_s = seconds_since(started);
  std::ofstream(result.dir / "case.json")
      << to_json(result).dump(2, ' ', false, json::error_handler_t::replace) << '\n';
  return result;
}

}  // namespace twincert::harness
