#include "twincert/hil/plan_file.hpp"

#include <algorithm>

#include "twincert/base/config_error.hpp"
#include "twincert/base/json_fields.hpp"

namespace twincert::hil {

namespace fs = std::filesystem;
using nlohmann::json;

json plan_file_json(const Plan& plan, const harness::Campaign& campaign, const fs::path& rigs_file,
                    const std::string& link, const std::string& device) {
  json doc = to_json(plan);
  doc["campaign"] = {
      {"id", campaign.id}, {"file", campaign.origin.string()}, {"sha256", campaign.sha256}};
  doc["rigs_file"] = fs::absolute(rigs_file).lexically_normal().string();
  doc["link"] = link;
  doc["device"] = device;
  return doc;
}

ServedPlan load_served_plan(const fs::path& plan_or_folder) {
  using json_fields::field;
  using json_fields::optional_field;
  ServedPlan out;
  out.file = fs::is_directory(plan_or_folder) ? plan_or_folder / "plan.json" : plan_or_folder;
  const std::string where = out.file.string();
  const json doc = json_fields::read_json_file(out.file, "HIL plan");
  if (optional_field<std::string>(doc, "schema", "", where) != "twincert.hil-plan/1") {
    throw ConfigError(where + ": not a HIL plan (twincert.hil-plan/1)");
  }
  out.campaign_record = field<json>(doc, "campaign", where);
  const std::string campaign_where = where + ": campaign";
  out.campaign =
      harness::load_campaign(field<std::string>(out.campaign_record, "file", campaign_where));
  if (out.campaign.sha256 !=
      optional_field<std::string>(out.campaign_record, "sha256", "", campaign_where)) {
    throw ConfigError("campaign " + out.campaign.origin.string() +
                      " changed since the plan was made; plan it again");
  }
  out.rigs = load_rigs(field<std::string>(doc, "rigs_file", where));
  out.link = optional_field<std::string>(doc, "link", "net450", where);
  const Link link = parse_link(out.link);
  const auto device = optional_field<std::string>(doc, "device", "", where);
  const json assignments = field<json>(doc, "assignments", where);
  if (!assignments.is_array()) throw ConfigError(where + ": \"assignments\" is not an array");
  for (std::size_t i = 0; i < assignments.size(); ++i) {
    const json& a = assignments[i];
    const std::string at = where + ": assignments[" + std::to_string(i) + "]";
    const auto id = field<std::string>(a, "case", at);
    const auto& cases = out.campaign.cases;
    const auto it = std::find_if(cases.begin(), cases.end(),
                                 [&](const harness::CaseSpec& c) { return c.id == id; });
    if (it == cases.end()) {
      throw ConfigError("the plan's case " + id + " is not in campaign " + out.campaign.id);
    }
    QueuedCase q;
    q.spec = *it;
    q.needs.id = id;
    q.needs.link = link;
    q.needs.device_model = device;
    q.planned_rig = field<std::string>(a, "rig", at);
    out.cases.push_back(std::move(q));
  }
  return out;
}

}  // namespace twincert::hil
