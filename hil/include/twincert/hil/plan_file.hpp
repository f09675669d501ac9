// plan.json (twincert.hil-plan/1, docs/formats/rigs.md) as a file: what `twincert hil plan`
// writes beside the plan itself (the campaign it is of, the rig inventory, the link and the
// device), and what `twincert hil serve` reads back to queue the plan's cases. Pure functions
// but for the files they read: thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/harness/campaign.hpp"
#include "twincert/hil/planner.hpp"
#include "twincert/hil/queue.hpp"
#include "twincert/hil/rigs.hpp"

namespace twincert::hil {

// The plan.json document of `plan`, made for `campaign` on the rigs of `rigs_file` over `link`
// ("net450" or "serial:BAUD") to `device` (may be empty).
nlohmann::json plan_file_json(const Plan& plan, const harness::Campaign& campaign,
                              const std::filesystem::path& rigs_file, const std::string& link,
                              const std::string& device);

// A plan read back to be served.
struct ServedPlan {
  std::filesystem::path file;  // plan.json
  harness::Campaign campaign;  // loaded again, unchanged since the plan was made
  std::vector<Rig> rigs;
  std::string link;                // as the plan says it
  std::vector<QueuedCase> cases;   // the plan's assignments, in plan order
  nlohmann::json campaign_record;  // the plan's "campaign": {"id", "file", "sha256"}
};

// Reads plan.json (or a folder holding it), loads its campaign and rigs and checks the
// campaign has not changed since. Throws ConfigError naming the file and what is wrong.
ServedPlan load_served_plan(const std::filesystem::path& plan_or_folder);

}  // namespace twincert::hil
