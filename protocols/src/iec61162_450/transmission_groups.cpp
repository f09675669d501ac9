#include "twincert/protocols/iec61162_450/transmission_groups.hpp"

namespace twincert::iec61162_450 {

namespace {

struct Route {
  std::string_view talker;
  TransmissionGroup group;
};

// Signal K / Furuno FAR-3000 mapping (docs/sources.md, IEC 61162-450).
constexpr std::array<Route, 52> kRoutes{{
    {"BI", TransmissionGroup::kMisc}, {"DU", TransmissionGroup::kMisc},
    {"ER", TransmissionGroup::kMisc}, {"II", TransmissionGroup::kMisc},
    {"NL", TransmissionGroup::kMisc}, {"RC", TransmissionGroup::kMisc},
    {"SG", TransmissionGroup::kMisc}, {"SS", TransmissionGroup::kMisc},
    {"UP", TransmissionGroup::kMisc}, {"VR", TransmissionGroup::kMisc},
    {"YX", TransmissionGroup::kMisc}, {"SI", TransmissionGroup::kMisc},
    {"AI", TransmissionGroup::kTgtd}, {"RA", TransmissionGroup::kTgtd},
    {"HE", TransmissionGroup::kSatd}, {"HN", TransmissionGroup::kSatd},
    {"TI", TransmissionGroup::kSatd}, {"AG", TransmissionGroup::kNavd},
    {"AP", TransmissionGroup::kNavd}, {"DF", TransmissionGroup::kNavd},
    {"EC", TransmissionGroup::kNavd}, {"EI", TransmissionGroup::kNavd},
    {"GA", TransmissionGroup::kNavd}, {"GP", TransmissionGroup::kNavd},
    {"GL", TransmissionGroup::kNavd}, {"GN", TransmissionGroup::kNavd},
    {"HC", TransmissionGroup::kNavd}, {"HF", TransmissionGroup::kNavd},
    {"IN", TransmissionGroup::kNavd}, {"LC", TransmissionGroup::kNavd},
    {"SD", TransmissionGroup::kNavd}, {"SN", TransmissionGroup::kNavd},
    {"VD", TransmissionGroup::kNavd}, {"VM", TransmissionGroup::kNavd},
    {"VW", TransmissionGroup::kNavd}, {"WI", TransmissionGroup::kNavd},
    {"BN", TransmissionGroup::kVdrd}, {"FD", TransmissionGroup::kVdrd},
    {"FE", TransmissionGroup::kVdrd}, {"FR", TransmissionGroup::kVdrd},
    {"FS", TransmissionGroup::kVdrd}, {"HD", TransmissionGroup::kVdrd},
    {"HS", TransmissionGroup::kVdrd}, {"WD", TransmissionGroup::kVdrd},
    {"WL", TransmissionGroup::kVdrd}, {"CD", TransmissionGroup::kRcom},
    {"CR", TransmissionGroup::kRcom}, {"CS", TransmissionGroup::kRcom},
    {"CT", TransmissionGroup::kRcom}, {"CV", TransmissionGroup::kRcom},
    {"CX", TransmissionGroup::kRcom}, {"EP", TransmissionGroup::kRcom},
}};

}  // namespace

std::optional<TransmissionGroup> default_group_for_talker(std::string_view talker) noexcept {
  if (talker == "P") return TransmissionGroup::kProp;
  if (talker.size() == 2 && talker[0] == 'U' && talker[1] >= '0' && talker[1] <= '9') {
    return TransmissionGroup::kMisc;
  }
  if (talker == "ZA" || talker == "ZC" || talker == "ZQ" || talker == "ZV") {
    return TransmissionGroup::kTime;
  }
  for (const Route& r : kRoutes) {
    if (r.talker == talker) return r.group;
  }
  return std::nullopt;
}

std::optional<TransmissionGroup> group_by_name(std::string_view name) noexcept {
  for (const GroupEndpoint& e : kTransmissionGroups) {
    if (e.name == name) return e.group;
  }
  return std::nullopt;
}

}  // namespace twincert::iec61162_450
