// What `twincert run` and `twincert merge` print and record at the end of a run.
#include "run_outputs.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "twincert/cli/version.hpp"
#include "twincert/harness/program_files.hpp"

namespace twincert::cli {

std::string clock_text(double s) {
  const long total = std::lround(s);
  std::array<char, 48> b{};
  std::snprintf(b.data(), b.size(), "%ld:%02ld", total / 60, total % 60);
  return b.data();
}

void print_failures(const harness::CampaignRun& run) {
  std::size_t shown = 0;
  for (const auto& c : run.results) {
    if (harness::case_verdict(c) == "pass" || shown >= 20) continue;
    ++shown;
    std::cout << "  " << harness::case_verdict(c) << "  " << c.spec.id << '\n';
    if (!c.error.empty()) std::cout << "      " << c.error << '\n';
    for (const auto& r : c.rules) {
      if (r.verdict != rules::Verdict::kFail) continue;
      std::cout << "      " << r.rule_id << ": " << r.message << '\n';
      if (!r.evidence.empty()) {
        std::cout << "        at " << r.evidence[0].t_s << " s: expected " << r.evidence[0].expected
                  << "; observed " << r.evidence[0].observed << '\n';
      }
    }
  }
}

// What the run came from, for the evidence manifest: the files of the campaign and the twin's
// program (and any file its command line names), and this harness.
reports::ManifestInfo manifest_info(const harness::Campaign& campaign,
                                    const harness::TwinAdapter& adapter,
                                    const std::filesystem::path& reference_twin) {
  reports::ManifestInfo info;
  info.tool = std::string("twincert ") + TWINCERT_VERSION;
  info.build = TWINCERT_BUILD_ID;
  info.inputs.push_back({"campaign", campaign.origin});
  info.inputs.push_back({"adapter", campaign.adapter});
  info.inputs.push_back({"rules", campaign.rules});
  if (!campaign.requirements.empty()) {
    info.inputs.push_back({"requirements", campaign.requirements});
  }
  for (const auto& c : campaign.cases) {
    info.seeds.push_back(c.seed);
    if (std::filesystem::is_regular_file(c.scenario)) {
      info.inputs.push_back({"scenario", c.scenario});
    }
  }
  for (std::size_t i = 0; i < adapter.command.size(); ++i) {
    const std::string& arg = adapter.command[i];
    if (arg == "${reference_twin}") {
      info.inputs.push_back({"twin", reference_twin});
    } else if (i == 0 && arg.find("${") == std::string::npos) {
      const auto programs = harness::programs_that_run(arg);
      info.inputs.push_back({"twin", programs.front()});
      for (std::size_t k = 1; k < programs.size(); ++k) {
        info.inputs.push_back({"twin interpreter", programs[k]});
      }
    } else if (arg.find("${") == std::string::npos && std::filesystem::is_regular_file(arg)) {
      info.inputs.push_back({"twin", arg});
    }
  }
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) info.inputs.push_back({"harness", self});
  return info;
}

}  // namespace twincert::cli
