// What rules judge: the truth a correct twin is held to, what was observed of the twin under
// test, and the verdicts. Plain values, no I/O: the harness reads and writes them as JSON.
//
// Times are seconds on the scenario's time line (the truth's t, 0 at the scenario start); the
// harness maps arrival times onto it (real time: by the replay's pace; stream time: by the
// twin's own time stamps).
// Thread-compatible: concurrent reads are safe, a writer needs the only reference.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace twincert::rules {

// ---------------------------------------------------------------------------------- truth

// A conclusion a correct twin must reach (truth.jsonl `expect`): from when, until when, about what.
struct Expectation {
  std::string condition;  // "input_lost", "fire", ...
  std::string subject;    // a source ("HE0001"), "ship", or "mmsi:NNN"
  double from_s = 0.0;
  double until_s = 0.0;
};

// The true value of named quantities over time (truth.jsonl `state`, once a second).
struct TruthSeries {
  std::vector<double> t_s;
  std::map<std::string, std::vector<double>, std::less<>> values;  // same length as t_s
};

// How a sensor was (truth.jsonl `sensor_health`): "ok", or what a fault made of it.
struct HealthSpan {
  std::string sensor;  // "gnss", "gyro", ...
  std::string source;  // "GP0001"
  std::string status;  // "ok", "biased", "missing", ...
  double from_s = 0.0;
  double to_s = 0.0;
};

// An AIS target where it truly was (truth.jsonl `target`, every 10 s per target).
struct TruthTarget {
  double t_s = 0.0;
  std::uint32_t mmsi = 0;
  std::string name;  // empty: the target sends none
  double lat = 0.0;
  double lon = 0.0;
  double cpa_nm = 0.0;  // closest approach to the own ship, both going straight on from t
  double tcpa_min = 0.0;
};

struct Truth {
  double duration_s = 0.0;
  double start_unix_s = 0.0;  // the scenario's UTC start: a twin's unix times minus this are t
  std::vector<Expectation> expectations;
  TruthSeries state;
  std::vector<HealthSpan> health;
  std::vector<TruthTarget> targets;  // by mmsi, then time
};

// ---------------------------------------------------------------------------- observations

// kAcknowledged: the alert was acknowledged (IEC 61162-1 ALF state A, ALR acknowledged flag, an
// ACN acknowledge command the twin emitted); no rule judges it yet, deadline and recovery
// look only at raises and clears.
enum class AlertChange : std::uint8_t { kRaised, kCleared, kAcknowledged };

struct AlertObservation {
  double t_s = 0.0;
  std::string condition;
  std::string subject;
  AlertChange change = AlertChange::kRaised;
};

struct ValueObservation {
  double t_s = 0.0;  // when the twin said it
  std::string name;
  double value = 0.0;
};

struct SentenceObservation {
  double t_s = 0.0;
  std::string text;  // one line as received, tag block included, no CR LF
};

// One UDP datagram the twin emitted as IEC 61162-450 (it began with a 450 token, or the adapter
// says the twin emits 450 there): the syntax rule checks its header, tag blocks and line counts.
struct DatagramObservation {
  double t_s = 0.0;
  std::string bytes;     // as received, at most kMaxDatagramBytesKept of them
  std::size_t size = 0;  // the datagram's whole size
};
inline constexpr std::size_t kMaxDatagramBytesKept = 4096;

// An API call (liveness), or a sample of the twin's process (resources; a process found not
// running is a liveness failure too).
enum class ProbeKind : std::uint8_t { kApi, kProcess };

struct ProbeObservation {
  double t_s = 0.0;
  ProbeKind kind = ProbeKind::kApi;
  bool answered = true;  // kProcess: the process was running
  double latency_ms = 0.0;
  std::optional<double> rss_bytes;
  std::optional<double> cpu_percent;
};

// One entry of the twin's AIS target table: the position with its time, and the name when known.
struct TargetObservation {
  double t_s = 0.0;  // the time of the position (or of the poll)
  std::uint32_t mmsi = 0;
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<std::string> name;
  // Closest approach as the twin had it at `encounter_t_s` (the time of its table).
  std::optional<double> cpa_nm;
  std::optional<double> tcpa_min;
  double encounter_t_s = 0.0;
};

struct Observations {
  std::vector<AlertObservation> alerts;
  std::vector<ValueObservation> values;
  std::vector<SentenceObservation> sentences;
  std::vector<double> heartbeats_s;  // arrival of each HBT
  std::vector<ProbeObservation> probes;
  std::vector<TargetObservation> targets;
  std::vector<DatagramObservation> datagrams;  // in arrival order
};

// ---------------------------------------------------------------------------------- rules

enum class RuleKind : std::uint8_t {
  kSyntax,        // everything the twin emits is strict IEC 61162-1 / 450
  kDeadline,      // each expected condition raised within `within_s` of its start
  kRecovery,      // ... and cleared within `within_s` of its end
  kNoFalseAlarm,  // no alert without a cause in the truth (`grace_s` either side)
  kAccuracy,      // observed values within `tolerance` of the truth
  kHeartbeat,     // heartbeats every `period_s` (or the period each HBT announces) within
                  // `tolerance_s` + `tolerance_fraction` of it, from the start to the end
  kLiveness,      // every probe answered within `within_s` (as milliseconds: latency_ms)
  kResources,     // resident memory at most `max_rss_bytes`, growing at most
                  // `max_rss_growth_bytes` after `after_s` (a leak)
  kTargets,       // every AIS target heard for `within_s` listed, at its true position within
                  // `tolerance` metres, and named when heard for `name_within_s` and it sends one
};

struct Rule {
  std::string id;
  std::vector<std::string> requirements;
  RuleKind kind = RuleKind::kDeadline;
  std::vector<std::string> conditions;  // deadline, recovery, no_false_alarm: which (empty: all)
  std::string quantity;                 // accuracy: the value's name
  // accuracy: the kind of sensor that measures it ("gnss"); values are compared only while
  // every such sensor is "ok" in the truth, since no twin can see through a sensor's bias
  std::string sensor;
  bool angle = false;  // accuracy: compare on the circle (degrees)
  double within_s = 10.0;
  // deadline, recovery: how early a change may come and still count. Truth spans start on whole
  // seconds (1 s); a condition a twin computes from noisy inputs (a TCPA limit) may cross earlier.
  double early_s = 1.0;
  double after_blackout_s = 30.0;  // deadline: a condition begun in a blackout is due this
                                   // long after the blackout ends, plus within_s
  double grace_s = 15.0;
  double tolerance = 0.0;
  double min_fraction = 0.95;  // accuracy: share of observations within tolerance
  // accuracy: the evidence a pass needs (a fail needs none: each wrong value is evidence). At
  // least `min_values_per_s` values per second of truth in which the quantity changes (and one
  // value at least), and `min_coverage` of the truth's seconds holding a judged value.
  double min_values_per_s = 1.0;
  double min_coverage = 0.9;
  double period_s = 60.0;
  // heartbeat: judge each interval against the period the HBT opening it announces (IEC
  // 61162-1 HBT field 1); `period_s` then only stands in before any HBT announced one
  bool period_announced = false;
  double tolerance_s = 6.0;
  double tolerance_fraction = 0.0;  // heartbeat: plus this share of the period
  double max_latency_ms = 500.0;
  double max_rss_bytes = 256.0 * 1024 * 1024;
  double max_rss_growth_bytes = 0.0;  // resources: 0 = not checked
  double after_s = 600.0;             // resources: growth counts from here (warm-up)
  double name_within_s = 420.0;       // targets: static data comes every 6 min (ITU-R M.1371)
  double cpa_tolerance_nm = 0.1;      // targets, for encounters that matter: closing to within
  double tcpa_tolerance_min = 1.0;    // `encounter_cpa_nm` in at most `encounter_tcpa_min`
  double encounter_cpa_nm = 2.0;
  double encounter_tcpa_min = 30.0;
};

enum class Verdict : std::uint8_t { kPass, kFail, kInconclusive, kError };

// One piece of evidence: when, what was expected, what was seen.
struct Evidence {
  double t_s = 0.0;
  std::string expected;
  std::string observed;
  std::vector<std::string> frames;  // the input sent around t (the harness adds them)
};

// How much of the truth a rule judged (accuracy rules): the values it compared, the values a
// pass needs, the truth's seconds holding a judged value of those it could judge, and the
// values stamped more than 1 s outside the scenario's time line (not judged).
struct Coverage {
  std::size_t values = 0;
  std::size_t needed_values = 0;
  double judged_s = 0.0;
  double truth_s = 0.0;
  std::size_t outside_span = 0;

  double fraction() const { return truth_s > 0.0 ? judged_s / truth_s : 0.0; }
  friend bool operator==(const Coverage&, const Coverage&) = default;
};

struct RuleResult {
  std::string rule_id;
  std::vector<std::string> requirements;
  Verdict verdict = Verdict::kInconclusive;
  std::string message;             // one line: why
  std::vector<Evidence> evidence;  // the first few cases (at most kMaxEvidence)
  std::optional<Coverage> coverage;
};

inline constexpr std::size_t kMaxEvidence = 20;

}  // namespace twincert::rules
