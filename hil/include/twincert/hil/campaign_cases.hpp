// A campaign's cases as hardware-in-the-loop candidates: their bench time and, for a serial
// link, the busiest second of the stream as it would go down the line (network faults applied),
// measured by generating each case's bundle.
// The functions keep no shared state and are thread-safe, but two hardware_cases() calls need
// different `scratch` folders.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "twincert/harness/campaign.hpp"
#include "twincert/harness/replay_plan.hpp"
#include "twincert/harness/results_document.hpp"
#include "twincert/hil/planner.hpp"

namespace twincert::hil {

// `scratch` is a folder for the bundles, emptied as it goes. Throws ConfigError for
// a case the generator refuses.
std::vector<HilCase> hardware_cases(const harness::Campaign& campaign, const Link& link,
                                    const std::string& device_model,
                                    const std::filesystem::path& scratch);

// The busiest second of a stream's frames on a serial line: sentence bytes plus CR LF.
double peak_chars_per_s(const std::vector<harness::Frame>& frames);

// The software verdicts of a results document, one per case over its repetitions (the worst of
// fail, error, pass), flaky ones marked.
std::vector<SoftwareVerdict> software_verdicts(const harness::ResultsDocument& results);

}  // namespace twincert::hil
