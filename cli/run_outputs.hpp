// What `twincert run` and `twincert merge` print and record at the end of a run: the wall time
// as m:ss, the failing cases with their first evidence, and the evidence manifest's inputs.
// Not thread-safe (writes to std::cout).
#pragma once

#include <filesystem>
#include <string>

#include "twincert/harness/adapter.hpp"
#include "twincert/harness/campaign.hpp"
#include "twincert/reports/manifest.hpp"

namespace twincert::cli {

// "m:ss".
std::string clock_text(double s);

// The first 20 cases that did not pass, with each failed rule's message and first evidence.
void print_failures(const harness::CampaignRun& run);

// What the run came from, for the evidence manifest: the files of the campaign and the twin's
// program (and its interpreter, and any file its command line names), and this harness.
reports::ManifestInfo manifest_info(const harness::Campaign& campaign,
                                    const harness::TwinAdapter& adapter,
                                    const std::filesystem::path& reference_twin);

}  // namespace twincert::cli
