// The files rules work on, read and written as JSON: rule sets (twincert.rules/1), the truth of
// a bundle (truth.jsonl), observations of a twin (observations.jsonl) and verdicts.
//
// observations.jsonl has one observation per line, `kind` first in meaning, `t` in seconds on
// the scenario's time line:
//   {"kind":"alert","t":604.2,"condition":"input_lost","subject":"HE0001","change":"raised"}
//   {"kind":"value","t":605.0,"name":"heading_deg","value":41.3}
//   {"kind":"sentence","t":605.1,"text":"\\s:VR0001,n:7*..\\$VRALF,..."}
//   {"kind":"heartbeat","t":660.0}
//   {"kind":"probe","t":661.0,"probe":"api","answered":true,"latency_ms":2.1}
//   {"kind":"probe","t":661.0,"probe":"process","answered":true,"rss_bytes":8.4e6}
// Readers throw ConfigError naming the file, line and problem.
// The functions keep no shared state: thread-safe, as long as no two write the same file; the rule
// and observation values are thread-compatible.
#pragma once

#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/harness/replay_plan.hpp"
#include "twincert/rules/model.hpp"

namespace twincert::harness {

std::vector<rules::Rule> load_rules(const std::filesystem::path& path);
// The rules of a parsed rules document (twincert.rules/1, e.g. sent by a HIL coordinator);
// errors name `where`. Throws ConfigError.
std::vector<rules::Rule> rules_from_json(const nlohmann::json& doc, const std::string& where);
rules::Rule rule_from_json(const nlohmann::json& j, const std::string& where);

// truth.jsonl, or a bundle folder holding one.
rules::Truth load_truth(const std::filesystem::path& given);
rules::Observations load_observations(const std::filesystem::path& path);
void append_observation_json(const nlohmann::json& observation, rules::Observations& into,
                             const std::string& where);

// Observations as observations.jsonl records, in time order; written to a temporary file and
// renamed, so a killed run never leaves half a file.
std::vector<nlohmann::json> observation_records(const rules::Observations& observations);
void write_observations(const std::filesystem::path& path, const rules::Observations& observations);

nlohmann::json to_json(const rules::RuleResult& result);
// A verdict's "coverage" object and back (the journal keeps it); throws ConfigError.
nlohmann::json to_json(const rules::Coverage& coverage);
rules::Coverage coverage_from_json(const nlohmann::json& j, const std::string& where);

// Adds to the evidence of every failed or erroneous verdict the input frames sent around its
// time (up to `per_evidence` of them, centred on t; for the first few pieces of evidence), so a
// reader sees what the twin was given at the moment it went wrong. `frames` in sending order.
void attach_frames(std::vector<rules::RuleResult>& results, const std::vector<Frame>& frames,
                   std::size_t per_evidence = 8);

}  // namespace twincert::harness
