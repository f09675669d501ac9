// A results.json document built in the test, as twincert run would write it: one rule
// (heading accuracy) per case, a requirement it verifies and one nothing verifies.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/harness/results_document.hpp"

namespace twincert::reports {

using nlohmann::json;

inline json a_case(const std::string& id, const std::string& verdict, double wall_s) {
  json rule = {{"rule", "heading-accuracy"},
               {"requirements", {"VDR-TWIN-003"}},
               {"verdict", verdict},
               {"message", verdict == "pass" ? "all within" : "2 of 40 values off | by far"},
               {"evidence", json::array()}};
  if (verdict == "fail") {
    rule["evidence"].push_back({{"t", 30.0},
                                {"expected", "heading_deg = 40 +- 1"},
                                {"observed", "47.5"},
                                {"frames", {"\\c:1763802030*00\\$HEHDT,40.0,T*00"}}});
  }
  return {{"id", id},
          {"scenario", "open-sea-transit"},
          {"faults", json::array({"frozen:HE0001@20+30"})},
          {"seed", 1},
          {"duration_s", 60.0},
          {"repetition", 1},
          {"verdict", verdict},
          {"status", "ran"},
          {"error", ""},
          {"rules", {rule}},
          {"problems", json::array()},
          {"dir", ""},
          {"wall_s", wall_s},
          {"frames", 600},
          {"send_errors", 0},
          {"replay_s", 2.0},
          {"observations", 100},
          {"twin_start", "started"},
          {"twin_end", "stopped"},
          {"sha256", json::object()}};
}

inline json results_with(std::vector<json> cases) {
  std::size_t failed = 0;
  for (const auto& c : cases) failed += c["verdict"] == "fail" ? 1U : 0U;
  return {
      {"schema", "twincert.results/1"},
      {"campaign",
       {{"id", "unit"},
        {"title", "A | campaign"},
        {"file", "/x/unit.json"},
        {"sha256", "ab"},
        {"cases_in_matrix", cases.size()}}},
      {"versions", {{"twincert", "twincert 0.1.0"}, {"build", "b"}, {"adapter", "reference-twin"}}},
      {"run",
       {{"started_utc", "2026-11-23T00:00:00Z"},
        {"wall_s", 3.0},
        {"shard", "1/1"},
        {"mutant", ""},
        {"resumed_cases", 0}}},
      {"seeds", {1}},
      {"summary",
       {{"verdict", failed > 0 ? "fail" : "pass"},
        {"cases", cases.size()},
        {"passed", cases.size() - failed},
        {"failed", failed},
        {"errors", 0},
        {"flaky", json::array()}}},
      {"requirements",
       {{{"id", "VDR-TWIN-003"},
         {"title", "Heading"},
         {"text", "The twin shall show the heading"},
         {"source", ""},
         {"verdict", failed > 0 ? "fail" : "pass"},
         {"rules", {"heading-accuracy"}},
         {"results",
          {{"pass", cases.size() - failed}, {"fail", failed}, {"error", 0}, {"inconclusive", 0}}}},
        {{"id", "VDR-TWIN-099"},
         {"title", "Untested"},
         {"text", ""},
         {"source", ""},
         {"verdict", "not_verified"},
         {"rules", json::array()},
         {"results", {{"pass", 0}, {"fail", 0}, {"error", 0}, {"inconclusive", 0}}}}}},
      {"rules",
       {{{"id", "heading-accuracy"},
         {"kind", "accuracy"},
         {"quantity", "heading_deg"},
         {"tolerance", 1.0},
         {"sensor", "gyro"}},
        {{"id", "input-invalid-alert"},
         {"kind", "deadline"},
         {"conditions", {"input_invalid"}},
         {"within_s", 15}}}},
      {"cases", std::move(cases)}};
}

// The document as the one reader reads it (so the sample is checked against the schema too).
inline harness::ResultsDocument document(const json& j) {
  return harness::results_from_json(j, "sample results");
}

}  // namespace twincert::reports
