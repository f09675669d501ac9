#include "twincert/hil/campaign_cases.hpp"

#include <cmath>
#include <map>
#include <set>

#include "twincert/generators/scenario.hpp"
#include "twincert/harness/case_runner.hpp"

namespace twincert::hil {

double peak_chars_per_s(const std::vector<harness::Frame>& frames) {
  std::map<long, double> per_second;
  double peak = 0.0;
  for (const auto& f : frames) {
    double& n = per_second[static_cast<long>(std::floor(f.at_s))];
    n += static_cast<double>(harness::sentence_of(f.line).size() + 2);
    peak = std::max(peak, n);
  }
  return peak;
}

std::vector<HilCase> hardware_cases(const harness::Campaign& campaign, const Link& link,
                                    const std::string& device_model,
                                    const std::filesystem::path& scratch) {
  std::vector<HilCase> out;
  for (const auto& spec : campaign.cases) {
    HilCase c;
    c.id = spec.id;
    c.faults = spec.faults;
    c.link = link;
    c.device_model = device_model;
    c.duration_s = spec.duration_s > 0.0 ? spec.duration_s
                                         : generators::load_scenario(spec.scenario).duration_s;
    if (link.serial) {
      const auto bundle = scratch / "bundle";
      harness::write_case_bundle(spec, bundle, "");
      c.peak_chars_per_s = peak_chars_per_s(harness::load_plan(bundle).frames);
      std::filesystem::remove_all(bundle);
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<SoftwareVerdict> software_verdicts(const harness::ResultsDocument& results) {
  std::vector<SoftwareVerdict> out;
  const std::set<std::string> flaky(results.summary.flaky.begin(), results.summary.flaky.end());
  std::map<std::string, SoftwareVerdict> by_id;
  for (const auto& c : results.cases) {
    const std::string id = harness::case_id_without_repetition(c.spec.id);
    const std::string verdict = harness::case_verdict(c);
    SoftwareVerdict& v = by_id[id];
    v.case_id = id;
    const auto rank = [](const std::string& x) {
      return x == "fail" ? 3 : x == "error" ? 2 : x == "pass" ? 1 : 0;
    };
    if (rank(verdict) > rank(v.verdict)) v.verdict = verdict;
    v.flaky = flaky.contains(id);
  }
  out.reserve(by_id.size());
  for (auto& [id, v] : by_id) out.push_back(std::move(v));
  return out;
}

}  // namespace twincert::hil
