// Shrinking one failing case of a campaign against its twin: the reducer (shrink/reducer.hpp)
// with trials that run the case through the case runner — a fresh twin per trial as the
// adapter starts it, at the adapter's pacing (virtual for the reference twin) — on scenarios
// written from the reduced candidate. What a candidate keeps is written as scenario JSON
// (docs/formats/scenario.md), so the generator derives the stream and its truth again from
// what is kept; nothing of the original truth is carried over.
//
// The scenario written for a candidate: the original's name (it seeds the random streams, so
// the kept sensors send what they sent before), vessel, limits and anchorage; its duration the
// kept span; its start (start_utc) moved to the span's start; the kept sensors with the kept
// sentence formatters listed; the kept events and faults moved by the head cut and clipped to
// the span, and each silenced window as a dropout fault; the kept AIS targets as explicit
// traffic; the value simplifications applied ("calm_sea": no wind, gusts or current;
// "straight_route": the first and last waypoint only). A head cut thus moves what happens
// (events, faults, windows) earlier, while the own ship and the traffic start afresh where they
// started: a cut that loses the failure that way is simply not taken.
//
// The same failure: the same rule fails, and one piece of its evidence has the same shape as
// one of the original's — the expected and observed texts with their numbers taken out
// ("input_lost about HE0001 raised by # s" / "never raised" is not "raised at # s"). A trial
// that ends in a case error is a different outcome. When the run was a mutant's (a twin with a
// planted defect, whose correct twin the adapter also starts), a candidate counts only if the
// correct twin passes the rule on it too: a failure both twins show is the stream's, not the
// defect's (a sensor "lost" that was never heard, a dropout too short to notice). Such
// candidates cost two runs; the rest one.
//
// Single-sentence deletion (the reducer's stage 9) needs a case run on a given bundle, which
// the case runner's public API does not offer yet (it generates each case's bundle itself):
// shrink_case runs stages 1–8 only.
//
// Reads and writes files under the work folder; runs twins. Not thread-safe on one work folder.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/generators/faults.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/harness/case_runner.hpp"
#include "twincert/harness/shrink/reducer.hpp"

namespace twincert::harness::shrink {

// The failure a shrink keeps.
struct FailureSignature {
  std::string rule_id;
  std::set<std::string> shapes;  // evidence (or, without evidence, the message) without numbers
};

// A text with each number replaced by '#'.
std::string shape_of(const std::string& text);
// The signature of `rule_id` in `result` when that rule failed there; the first failed rule's
// when `rule_id` is empty. nullopt: it did not fail (or nothing failed).
std::optional<FailureSignature> failure_of(const CaseResult& result, const std::string& rule_id);
// The verdict of `rule_id` in `result` (inconclusive when it is not there).
rules::Verdict verdict_of(const CaseResult& result, const std::string& rule_id);
// The same rule, and a shape in common.
bool same_failure(const FailureSignature& original, const FailureSignature& now);

// A case as the reducer sees it, with what it needs to write a candidate's scenario.
struct CaseSubject {
  Subject subject;
  generators::Scenario scenario;              // as loaded, the case's faults added
  std::vector<generators::FaultSpec> faults;  // scenario faults, then the case's
  std::vector<std::string> simplifications;   // indexed like subject.simplifications
};
// Throws ConfigError for a bad scenario or fault.
CaseSubject case_subject(const CaseSpec& spec);
// The scenario JSON of a candidate (see above). Requires: `c.sentences` unset.
nlohmann::json scenario_json(const CaseSubject& cs, const Candidate& c);

struct ShrinkOptions {
  std::filesystem::path work_dir;  // trials run under work_dir/trials, removed after each
  std::string rule_id;             // the failure to keep; empty: the first failed rule
  ReduceOptions reduce;            // stream_of is ignored (no stage 9)
  bool keep_trials = false;        // leave each trial's folder (debugging)
  // For a mutant (setup.mutant set): require the correct twin to pass the rule (see above).
  bool differential = true;
  // Subject::warmup_s: how long a kept fault, event or silenced window stays from the start.
  double warmup_s = 30.0;
};

struct ShrinkOutcome {
  FailureSignature failure;
  ReduceResult reduction;
  nlohmann::json scenario;  // the shrunk case's scenario
  CaseSpec spec;            // the shrunk case: scenario file under work_dir, no extra faults
  CaseResult shrunk;        // its last run (into work_dir/shrunk)
  // For a mutant: the correct twin on the shrunk case (into work_dir/correct-twin).
  std::optional<CaseResult> correct_twin;
  std::size_t correct_twin_runs = 0;  // trials that also ran the correct twin
  std::size_t sentences_before = 0;
  std::size_t sentences_after = 0;
};

// Shrinks `failed` (a case result, e.g. from the run's journal) with `setup` (its campaign's
// adapter, rules, pacing, timeout and mutant). Writes work_dir/scenario.json and runs the
// shrunk case once more into work_dir/shrunk (and, for a mutant, on the correct twin into
// work_dir/correct-twin). Throws ConfigError when the case has no failed
// rule (or not `rule_id`) or its scenario does not load.
ShrinkOutcome shrink_case(const CaseResult& failed, const CaseSetup& setup,
                          const ShrinkOptions& options);

}  // namespace twincert::harness::shrink
