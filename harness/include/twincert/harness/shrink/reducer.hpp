// The reducer of `twincert shrink`: a failing case made as small as it can be while it still
// fails the same rule in the same way. It reduces a structured candidate, coarse to fine, each
// dimension with ddmin (shrink/ddmin.hpp):
//
//   1 span           the time kept: the tail, then the head, cut in whole granules (halving
//                    the cut until one granule more makes the failure go away)
//   2 sensors        whole sources; their families, faults and windows go with them
//   3 families       the sentence formatters each kept sensor sends (at least one each)
//   4 events         scenario events (engine failure, blackout, ...)
//   5 faults         injected faults
//   6 targets        AIS targets (fewer targets: the first value simplification)
//   7 windows        stretches of a kept sensor's output made silent
//   8 simplify       named value simplifications (calmer sea, constant course, ...), tried one
//                    at a time in the caller's order
//   9 sentences      single sentences of the stream the candidate above generates
//
// Stages 1 to 8 are repeated while a round still removes something (up to `max_rounds`), since
// dropping a sensor can let the span shrink further; stage 9 runs once, last.
//
// Honest truth. Every stage but the last changes only generator parameters — the scenario's
// duration and time origin, its sensors and their sentence lists, its events, faults and
// traffic, its environment and route — so the caller regenerates the bundle, truth included,
// from the reduced parameters: the truth is the generator's truth of the reduced stream, never
// truth kept from the original. A head cut moves the time origin: the caller moves events,
// faults and windows earlier by `from_s` and starts the ship afresh (shrink_case.hpp). A silenced
// window is not a deletion of lines behind the generator's back but a dropout fault on that sensor
// for that window, so the truth says the sensor was missing there and what a correct twin must
// conclude (input lost), exactly as for any dropout. This is why value simplification (stage 8)
// comes before single sentences, where issue 22 lists it last: it regenerates the stream, which
// would invalidate a choice of single sentences. Stage 9 deletes lines without regenerating, so it
// may only delete what the truth does not rest on. The caller marks each line `removable` (periodic
// measurements: yes; alerts, their acknowledgements and heartbeats, whose truth records say the
// stream carries them: no), and a family may lose lines only as long as the gap between its kept
// lines stays within the family's `max_gap_s` (below any input-lost timeout, so the truth's "this
// sensor was healthy" stays true) and the family keeps one line at least (dropping a whole family
// is stage 3's job, with regenerated truth). Candidates breaking either rule are refused without a
// trial. The sentence-level truth is then the regenerated truth of the stage 1–8 candidate,
// unchanged.
//
// Trials. The caller's predicate runs one candidate (a fresh twin per trial) and says whether
// it failed the same rule in the same way. Before reducing, the original is tried `repeat`
// times: a failure that does not repeat each time is reported flaky and not reduced. Each
// accepted step is tried `recheck` more times; a step that does not hold up makes the case
// flaky too (the original is returned). Results are cached by candidate, so a candidate is
// never tried twice except to re-check it. The budget counts trials and wall time (on the
// caller's clock); when it runs out, the smallest candidate confirmed so far is returned.
//
// Determinism: the stages, their order and ddmin's tests depend only on the subject and the
// predicate's answers; a deterministic predicate gives the same result every time, unless the
// wall-time budget, which depends on the machine, stops the reduction.
//
// Plain values and one free function; the predicate is called on the calling thread, one
// trial at a time. Thread-compatible.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace twincert::harness::shrink {

// A sentence family: one formatter of one sensor ("GP0001" "GGA").
struct Family {
  std::size_t sensor = 0;  // index into Subject::sensors
  std::string formatter;
};

// An event or fault: when it acts, and on which sensor (faults; events have none).
struct TimedItem {
  std::string id;  // as written: "dropout:HE0001@600+120", "engine_failure@1200+900"
  double from_s = 0.0;
  double to_s = 0.0;
  std::optional<std::size_t> sensor;  // index into Subject::sensors
};

// What there is to reduce: the original case, described.
struct Subject {
  double duration_s = 0.0;
  double granularity_s = 1.0;  // span cuts and windows in whole multiples of this
  double min_span_s = 1.0;     // never shorter
  // A twin must have heard a sensor before it can miss it, and seen the ship before it can see
  // a change: a kept fault or event never starts less than this after the span's start (or
  // less than it did in the original), nor a silenced window.
  double warmup_s = 0.0;
  std::vector<std::string> sensors;  // their sources ("GP0001")
  std::vector<Family> families;      // sorted by sensor
  std::vector<TimedItem> events;
  std::vector<TimedItem> faults;
  std::vector<std::string> targets;          // AIS targets (by MMSI or name)
  std::vector<std::string> simplifications;  // value simplifications the caller can apply
  std::size_t windows_per_sensor = 8;        // stage 7: the span cut in this many windows
};

// A stretch of a sensor's output made silent (a dropout fault).
struct Window {
  std::size_t sensor = 0;
  double from_s = 0.0;
  double to_s = 0.0;
  friend bool operator==(const Window&, const Window&) = default;
};

// A reduced case. Indices refer to the Subject; all lists sorted. Times are on the original's
// time line.
struct Candidate {
  double from_s = 0.0;
  double to_s = 0.0;
  std::vector<std::size_t> sensors;
  std::vector<std::size_t> families;
  std::vector<std::size_t> events;
  std::vector<std::size_t> faults;
  std::vector<std::size_t> targets;
  std::vector<Window> silenced;  // sorted by sensor, then time; disjoint
  std::vector<std::size_t> simplifications;
  // Stage 9: indices into the stream the rest of the candidate generates (nullopt: all lines).
  std::optional<std::vector<std::size_t>> sentences;
  friend bool operator==(const Candidate&, const Candidate&) = default;
};

// The whole original: everything kept.
Candidate whole(const Subject& subject);
// A one-line description, also the cache key: equal strings, equal candidates.
std::string key_of(const Candidate& candidate);

// One line of the stream a candidate generates (stage 9).
struct StreamLine {
  double t_s = 0.0;
  std::size_t family = 0;  // index into Subject::families
  bool removable = true;   // false: the truth rests on it (alerts, acknowledgements, heartbeats)
};
// The lines of a candidate's stream (its `sentences` unset), in time order, and per family the
// longest gap a deletion may leave (indexed like Subject::families; missing: no deletions).
struct Stream {
  std::vector<StreamLine> lines;
  std::vector<double> max_gap_s;
};
using StreamOf = std::function<Stream(const Candidate& candidate)>;

// Stage 9's rule: whether keeping the lines `kept` (sorted indices) of `stream` leaves every
// family at least one line and, where lines were deleted, no gap between kept lines (or between
// the family's first or last line and the nearest kept one) over the family's max_gap_s.
bool lines_admissible(const Stream& stream, const std::vector<std::size_t>& kept);

enum class TrialOutcome {
  kSameFailure,  // the same rule failed in the same way
  kDifferent,    // passed, or failed otherwise
  kError,        // the trial could not run (a harness problem); counts as kDifferent
};
using Trial = std::function<TrialOutcome(const Candidate& candidate)>;

struct ReduceOptions {
  int repeat = 3;   // k: the original must fail k of k times
  int recheck = 1;  // each accepted step is tried this many times more
  std::size_t max_trials = 2000;
  double max_wall_s = 300.0;
  int max_rounds = 3;  // rounds of stages 1–8
  // Seconds on a monotonic clock (empty: std::chrono::steady_clock).
  std::function<double()> now_s;
  StreamOf stream_of;  // empty: no stage 9
  // Called after each accepted step (progress); may be empty.
  std::function<void(const std::string& stage, const Candidate& now)> on_step;
};

enum class ReduceStatus {
  kMinimal,      // ran to the end: 1-minimal in every dimension
  kBudgetSpent,  // stopped by the budget: smaller, still failing, maybe not minimal
  kFlaky,        // the failure did not repeat k of k times, or a step did not hold up
  kNotFailing,   // the original never failed the same way
};
const char* name_of(ReduceStatus status) noexcept;

struct Step {
  std::string stage;  // "span", "sensors", ...
  std::string what;   // "kept 2 of 15"
  std::size_t trials_after = 0;
};

struct Sizes {
  double span_s = 0.0;
  std::size_t sensors = 0, families = 0, events = 0, faults = 0, targets = 0, silenced = 0,
              simplifications = 0;
  std::optional<std::size_t> sentences;  // when the stream is known
};

struct ReduceResult {
  ReduceStatus status = ReduceStatus::kNotFailing;
  Candidate candidate;  // the reduced case (the original unless kMinimal or kBudgetSpent)
  std::vector<Step> steps;
  std::size_t trials = 0;      // predicate calls
  std::size_t cache_hits = 0;  // candidates answered from the cache
  std::size_t refused = 0;     // candidates refused without a trial (inadmissible)
  int original_failures = 0;   // of `repeat` tries of the original
  std::string flaky_step;      // the step that did not hold up (kFlaky after the start)
  double wall_s = 0.0;
  Sizes before, after;
};

// Sizes of a candidate (sentences from `stream_of` when given).
Sizes sizes_of(const Candidate& candidate, const StreamOf& stream_of);

// Requires: options.repeat >= 1. Exceptions from `trial` or `stream_of` propagate.
ReduceResult reduce(const Subject& subject, const Trial& trial, const ReduceOptions& options = {});

}  // namespace twincert::harness::shrink
