// IEC 61162-450 standard multicast transmission groups: 239.192.0.x, port 60000 + x.
//
// Table and talker routing from docs/sources.md (Signal K server / Furuno FAR-3000
// mapping, preferred over the Rietman blog where they conflict). The groups for bridge alerts and
// binary transfer added in later editions are not listed: their numbers were not found.
// Constant data; safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace twincert::iec61162_450 {

enum class TransmissionGroup : std::uint8_t {
  kMisc = 1,  // miscellaneous, incl. the VDR's own output (VR)
  kTgtd,      // target data: AIS, radar tracked targets (high volume)
  kSatd,      // high-update-rate sensors: heading, rate of turn
  kNavd,      // navigation sensors and systems
  kVdrd,      // data mainly for the VDR: BNWAS, doors, fire, hull stress, water level
  kRcom,      // radio communication
  kTime,      // time sources
  kProp,      // proprietary
  kUsr1,
  kUsr2,
  kUsr3,
  kUsr4,
  kUsr5,
  kUsr6,
  kUsr7,
  kUsr8,  // user defined
};

struct GroupEndpoint {
  TransmissionGroup group;
  std::string_view name;     // "NAVD"
  std::string_view address;  // "239.192.0.4"
  std::uint16_t port;        // 60004
};

inline constexpr std::array<GroupEndpoint, 16> kTransmissionGroups{{
    {TransmissionGroup::kMisc, "MISC", "239.192.0.1", 60001},
    {TransmissionGroup::kTgtd, "TGTD", "239.192.0.2", 60002},
    {TransmissionGroup::kSatd, "SATD", "239.192.0.3", 60003},
    {TransmissionGroup::kNavd, "NAVD", "239.192.0.4", 60004},
    {TransmissionGroup::kVdrd, "VDRD", "239.192.0.5", 60005},
    {TransmissionGroup::kRcom, "RCOM", "239.192.0.6", 60006},
    {TransmissionGroup::kTime, "TIME", "239.192.0.7", 60007},
    {TransmissionGroup::kProp, "PROP", "239.192.0.8", 60008},
    {TransmissionGroup::kUsr1, "USR1", "239.192.0.9", 60009},
    {TransmissionGroup::kUsr2, "USR2", "239.192.0.10", 60010},
    {TransmissionGroup::kUsr3, "USR3", "239.192.0.11", 60011},
    {TransmissionGroup::kUsr4, "USR4", "239.192.0.12", 60012},
    {TransmissionGroup::kUsr5, "USR5", "239.192.0.13", 60013},
    {TransmissionGroup::kUsr6, "USR6", "239.192.0.14", 60014},
    {TransmissionGroup::kUsr7, "USR7", "239.192.0.15", 60015},
    {TransmissionGroup::kUsr8, "USR8", "239.192.0.16", 60016},
}};

constexpr const GroupEndpoint& endpoint_of(TransmissionGroup group) noexcept {
  return kTransmissionGroups[static_cast<std::size_t>(group) - 1];
}

// The group a talker's sentences go to by default; nullopt when the table has no entry
// (configure it explicitly then). Proprietary sentences ("P") go to PROP.
std::optional<TransmissionGroup> default_group_for_talker(std::string_view talker) noexcept;

// Group by name ("NAVD"), case-sensitive.
std::optional<TransmissionGroup> group_by_name(std::string_view name) noexcept;

}  // namespace twincert::iec61162_450
