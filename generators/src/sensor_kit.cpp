#include "sensor_kit.hpp"

#include <algorithm>
#include <cmath>

#include "twincert/protocols/nmea0183/sentences/alc.hpp"
#include "twincert/protocols/nmea0183/sentences/alf.hpp"
#include "twincert/protocols/nmea0183/sentences/arc.hpp"
#include "twincert/protocols/nmea0183/sentences/hbt.hpp"

namespace twincert::generators::detail {

namespace nmea = twincert::nmea0183;

namespace {

constexpr std::int64_t kAlertListTicks = 300;  // ALC every 30 s
constexpr double kHeartbeatS = 60.0;
constexpr std::size_t kAlcEntriesPerSentence = 3;
constexpr double kAnswerDelayS = 1.0;

}  // namespace

UtcParts utc_at(std::int64_t epoch_s, double t_s) {
  const double total = static_cast<double>(epoch_s) + t_s;
  auto whole = static_cast<std::int64_t>(std::floor(total));
  const auto hundredths =
      static_cast<std::int64_t>(std::llround((total - static_cast<double>(whole)) * 100.0));
  std::int64_t days = whole / 86400;
  std::int64_t secs = whole % 86400;
  UtcParts p;
  p.time.hour = static_cast<std::uint8_t>(secs / 3600);
  p.time.minute = static_cast<std::uint8_t>(secs % 3600 / 60);
  p.time.second = nmea::Decimal{secs % 60 * 100 + std::min<std::int64_t>(hundredths, 99), 2};
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  days += 719468;
  const std::int64_t era = days / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  p.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  p.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  p.year = static_cast<int>(yoe + era * 400 + (p.month <= 2 ? 1 : 0));
  return p;
}

std::int64_t period_ticks(const SensorSpec& spec) {
  return std::max<std::int64_t>(1,
                                std::llround(static_cast<double>(kTicksPerSecond) / spec.rate_hz));
}

BamReporter::BamReporter(const Sensor& sensor, std::string_view source_kind,
                         const std::vector<AlertTimeline>* all)
    : sensor_(sensor) {
  if (all == nullptr) return;
  for (const AlertTimeline& a : *all) {
    if (a.definition->source_kind == source_kind) mine_.push_back(&a);
  }
}

void BamReporter::report(const ShipState& s, std::int64_t epoch_s, SentenceBatch& out) const {
  const std::int64_t tick = tick_of(s.t_s);
  const std::int64_t window = period_ticks(sensor_.spec());
  const auto now = [&](double at_s) { return in_window(tick, window, at_s); };
  for (const AlertTimeline* a : mine_) {
    // The refusal answers the alert management's ACN, so it follows it by a second (the next
    // sample of a 1 Hz source), never precedes it.
    if (sensor_.sends("ARC") && !a->definition->remote_acknowledge &&
        now(a->remote_acknowledge_s + kAnswerDelayS) &&
        a->state_at(a->remote_acknowledge_s) != 'N') {
      nmea::Arc arc;
      arc.time = sensor_utc(epoch_s, s).time;
      arc.manufacturer = std::string(kAlertManufacturer);
      arc.alert_id = a->definition->alert_id;
      arc.instance = a->instance;
      arc.refused_command = 'A';
      out.add(arc, sensor_.spec().talker);
    }
    if (!sensor_.sends("ALF")) continue;
    for (const double change : a->changes()) {
      if (now(change)) alf(*a, change, epoch_s, s.clock_offset_s, out);
    }
  }
  if (sensor_.sends("ALC") && due(tick, window, kAlertListTicks)) alc(s, out);
  heartbeat(sensor_, s, out);
}

void BamReporter::alf(const AlertTimeline& a, double at_s, std::int64_t epoch_s,
                      double clock_offset_s, SentenceBatch& out) const {
  // Two sentences: the title with the state, then the description.
  nmea::Alf first;
  first.total_sentences = 2;
  first.sentence_number = 1;
  first.sequential_id = static_cast<std::int32_t>(tick_of(at_s) / kTicksPerSecond % 10);
  first.time = utc_at(epoch_s, at_s + clock_offset_s).time;
  first.category = a.definition->category;
  first.priority = a.definition->priority;
  first.state = a.state_at(at_s);
  first.manufacturer = std::string(kAlertManufacturer);
  first.alert_id = a.definition->alert_id;
  first.instance = a.instance;
  first.revision = a.revision_at(at_s);
  first.escalation = 0;
  first.text = std::string(a.definition->title);
  nmea::Alf second = first;
  second.sentence_number = 2;
  second.time.reset();
  second.category.reset();
  second.priority.reset();
  second.state.reset();
  second.text = std::string(a.definition->description);
  out.add(first, sensor_.spec().talker);
  out.add(second, sensor_.spec().talker);
}

void BamReporter::alc(const ShipState& s, SentenceBatch& out) const {
  std::vector<nmea::Alc::Entry> entries;
  for (const AlertTimeline* a : mine_) {
    const char state = a->state_at(s.t_s);
    if (state == '\0' || state == 'N') continue;
    entries.push_back(nmea::Alc::Entry{std::string(kAlertManufacturer), a->definition->alert_id,
                                       a->instance, a->revision_at(s.t_s)});
  }
  const std::size_t total = std::max<std::size_t>(
      1, (entries.size() + kAlcEntriesPerSentence - 1) / kAlcEntriesPerSentence);
  for (std::size_t i = 0; i < total; ++i) {
    nmea::Alc alc;
    alc.total_sentences = static_cast<std::int32_t>(total);
    alc.sentence_number = static_cast<std::int32_t>(i + 1);
    alc.sequential_id = static_cast<std::int32_t>(tick_of(s.t_s) / kAlertListTicks % 100);
    const auto from = std::min(entries.size(), i * kAlcEntriesPerSentence);
    const auto to = std::min(entries.size(), from + kAlcEntriesPerSentence);
    alc.entries.assign(entries.begin() + static_cast<std::ptrdiff_t>(from),
                       entries.begin() + static_cast<std::ptrdiff_t>(to));
    alc.entry_count = static_cast<std::int32_t>(alc.entries.size());
    out.add(alc, sensor_.spec().talker);
  }
}

void heartbeat(const Sensor& sensor, const ShipState& s, SentenceBatch& out) {
  if (!sensor.sends("HBT")) return;
  const double interval_s = sensor.param("heartbeat_s", kHeartbeatS);
  const auto every = std::max<std::int64_t>(1, tick_of(interval_s));
  const std::int64_t tick = tick_of(s.t_s);
  if (!due(tick, period_ticks(sensor.spec()), every)) return;
  nmea::Hbt h;
  h.interval_s = dec(interval_s, 0);
  h.status = sensor.invalid() ? 'V' : 'A';
  h.sequence = static_cast<std::int32_t>(tick / every % 10);
  out.add(h, sensor.spec().talker);
}

}  // namespace twincert::generators::detail
