// twincert check: judge saved observations of a twin against a bundle's truth with a rule set.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/evidence_files.hpp"
#include "twincert/harness/replay_plan.hpp"
#include "twincert/rules/evaluate.hpp"

#include "commands.hpp"

namespace twincert::cli {

namespace {

struct CheckOptions {
  std::string truth;
  std::string observations;
  std::string rules;
  bool json = false;
};

int run_check(const CheckOptions& o) {
  const auto rule_set = harness::load_rules(o.rules);
  const auto truth = harness::load_truth(o.truth);
  const auto observations = harness::load_observations(o.observations);
  auto results = rules::evaluate_all(rule_set, truth, observations);
  // A bundle folder also holds what was sent: show the input around each failure.
  if (std::filesystem::is_directory(o.truth)) {
    harness::attach_frames(results, harness::load_plan(o.truth).frames);
  }
  std::size_t failed = 0;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : results) {
    if (r.verdict == rules::Verdict::kFail || r.verdict == rules::Verdict::kError) ++failed;
    if (o.json) {
      out.push_back(harness::to_json(r));
      continue;
    }
    std::string line(rules::name_of(r.verdict));
    line.resize(14, ' ');
    line += r.rule_id;
    line.resize(std::max<std::size_t>(line.size() + 1, 40), ' ');
    std::cout << line << r.message << '\n';
    for (const auto& e : r.evidence) {
      std::cout << "    at " << e.t_s << " s: expected " << e.expected << "; observed "
                << e.observed << '\n';
      for (const auto& f : e.frames) std::cout << "        " << f << '\n';
    }
  }
  if (o.json) {
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else {
    std::cout << results.size() << " rules: " << results.size() - failed
              << " passed or inconclusive, " << failed << " failed\n";
  }
  return failed == 0 ? kExitOk : kExitChecksFailed;
}

}  // namespace

std::function<int()> add_check_command(CLI::App& app) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("check",
                                     "Judge saved observations of a twin (observations.jsonl) "
                                     "against a bundle's truth with a rule set");
  cmd->add_option("--truth", o->truth, "The bundle folder, or its truth.jsonl")->required();
  cmd->add_option("--observations", o->observations,
                  "observations.jsonl (format: docs/formats/rules.md)")
      ->required();
  cmd->add_option("--rules", o->rules,
                  "A rule set (twincert.rules/1), e.g. fixtures/rules/vdr-twin.json")
      ->required();
  cmd->add_flag("--json", o->json,
                "Print the verdicts as JSON (rule, requirements, verdict, message, evidence)");
  cmd->footer(
      "Exit status: 0 every rule passed or was inconclusive, 1 a rule failed, 2 a file is "
      "unreadable or invalid.");
  return [o] { return run_check(*o); };
}

}  // namespace twincert::cli
