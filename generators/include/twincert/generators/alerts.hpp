// Bridge alerts (IEC 62923 bridge alert management): the alerts the ship's alert sources raise
// for the conditions that scenario events create, and each alert's life cycle.
//
// An alert is raised when its condition starts, acknowledged by the central alert management
// (ACN) after `kRemoteAcknowledgeDelayS` — unless remote acknowledgement is not allowed (fire:
// it must be acknowledged at the fire panel), when the source refuses the ACN (ARC) and is
// acknowledged locally after `kLocalAcknowledgeDelayS` — and rectified when the condition ends.
// States (ALF field 7): V active-unacknowledged, A active-acknowledged, U rectified-unacknowledged,
// N normal (sent once when the alert ends). Timelines are computed once from the events, so the
// source's ALF/ALC and the alert management's ACN agree without sharing state. Thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "twincert/generators/events.hpp"

namespace twincert::generators {

inline constexpr double kRemoteAcknowledgeDelayS = 30.0;
inline constexpr double kLocalAcknowledgeDelayS = 90.0;

struct AlertDefinition {
  std::string_view condition;    // the event conclusion it reports, e.g. "engine_failure"
  std::string_view source_kind;  // the sensor kind that raises it
  std::int32_t alert_id;         // proprietary range (>= 10000) with mnemonic kManufacturer
  char category;                 // A or B
  char priority;                 // A alarm, W warning
  bool remote_acknowledge;       // may the alert management acknowledge it?
  std::string_view title;        // ALF text 1, at most 16 characters
  std::string_view description;  // ALF text 2
};
inline constexpr std::string_view kAlertManufacturer = "TWC";
const std::vector<AlertDefinition>& alert_definitions();

struct AlertTimeline {
  const AlertDefinition* definition = nullptr;
  std::int32_t instance = 1;
  double raised_s = 0.0;
  double acknowledged_s = 0.0;        // when it turns acknowledged
  double remote_acknowledge_s = 0.0;  // when the alert management sends its ACN
  double rectified_s = 0.0;           // condition ends (infinity: not within the run)

  // ALF state letter at t, or '\0' before it is raised and after it is back to normal.
  char state_at(double t_s) const noexcept;
  // Times the state changes, in order (raise, acknowledge, rectify; N is the last).
  std::vector<double> changes() const;
  // Revision counter at t (1 when raised, +1 at each change).
  std::int32_t revision_at(double t_s) const noexcept;
};

// The alerts the events raise. A door open raises no alert while the ship is at anchor
// (harbour mode); a blackout silences every source, so it raises none here.
std::vector<AlertTimeline> alert_timelines(const std::vector<Event>& events, bool anchored);

}  // namespace twincert::generators
