// Watches a twin under test while a case runs, as its adapter says: listens for the sentences
// it emits (UDP, TCP), polls its HTTP JSON for values and alerts, reads a JSON-lines stream,
// calls its API for liveness and samples its process from /proc. Every observation gets a time
// on the scenario's time line: the twin's own time stamp when it gives one on the stream's
// clock, else the stream time (StreamClock: from the pacing schedule, running on in silence)
// when the observation arrived.
//
// The twin is untrusted: answers are capped (4 MiB, 16 KiB headers, 4 KiB lines), every call
// has a deadline, and whatever goes wrong is counted in problems() instead of stopping the
// observer. Runs its own I/O thread between start() and finish(); observations() and
// problems() may be read after finish(). Not thread-safe otherwise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/harness/adapter.hpp"
#include "twincert/harness/child_process.hpp"
#include "twincert/rules/model.hpp"

namespace twincert::harness {

struct ObserverClock {
  double start_unix_s = 0.0;  // the scenario's start: twin unix times minus this are scenario t
  TwinTime time = TwinTime::kStream;
  std::function<double()> position;  // the stream time now (a StreamClock's now())
};

// Something that went wrong while observing, counted by kind and place.
struct ObserverProblem {
  std::string what;           // "GET http://127.0.0.1:8061/state: not JSON"
  bool misbehaviour = false;  // the twin answered wrongly (not merely late or absent)
  std::size_t count = 0;
  double first_t_s = 0.0;
  // Set when the adapter is at fault, not the twin: its mapping at this key never found what it
  // points at ("observe.http[0].values.sog_kn.value"); the verdicts that rest on it are errors.
  std::string adapter_key;
  std::string affects;  // what rests on it: a value's name, "alerts" or "targets"
};

// What one JSON-pointer mapping of the adapter found over the observation, answer by answer
// (`twincert adapter check`): the adapter key, how many answers it was looked for in, and what
// was there.
struct MappingFindings {
  std::string key;          // "observe.http[0].values.lat.value", "observe.alerts.lists[0]"
  std::string pointer;      // "/lat"
  std::string expected;     // "a number", "a list", ...
  std::string affects;      // a value's name, "alerts" or "targets"
  std::size_t answers = 0;  // answers (or list entries) it was looked for in
  std::size_t found = 0;    // ... that held what it expects
  std::size_t absent = 0;   // ... without such a key
  std::size_t nulls = 0;    // ... with null there
  std::string other;        // the first thing found there instead, described
};

class Observer {
 public:
  // `process` (may be null) is sampled from the observer's thread until finish().
  Observer(Observe spec, ObserverClock clock, ChildProcess* process);
  ~Observer();
  Observer(const Observer&) = delete;
  Observer& operator=(const Observer&) = delete;

  // Listens on `bound_fd` (a UDP socket the caller bound and keeps; the observer uses a
  // duplicate) for the observe.nmea URL with this port, instead of binding the port itself:
  // a port the harness let go of before the twin started may meanwhile have been taken by any
  // program's ephemeral socket. Datagrams already queued on it are from before this case and
  // are dropped. Call before start().
  void adopt_udp_socket(std::uint16_t port, int bound_fd);

  // Throws ConfigError for a bad URL or a port it cannot listen on; the observer is
  // then not started and may be destroyed.
  void start();
  // Polls the twin's HTTP values and alerts (and at every tenth call its AIS targets) once, now,
  // and returns when that is done (each call bounded by its deadline): observation in step with
  // the stream at virtual pace (ReplayOptions::on_sample). False when a call went unanswered.
  // Call from another thread, between start() and finish().
  bool sample();
  // Polls alerts and values one last time (each call bounded by its deadline), then stops.
  void finish();

  const rules::Observations& observations() const;
  std::vector<ObserverProblem> problems() const;
  // Every pointer mapping that was looked for at least once, by adapter key. After finish().
  std::vector<MappingFindings> mapping_findings() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// One line the twin emitted, as observations: the sentence, and a heartbeat when it is HBT;
// with `sentences`, the values and alerts its maps read from it (observe.sentences).
// Its time is the tag block's c: (stream time) when there is one, else `arrival_t_s`.
void observe_emitted_line(std::string_view line, double arrival_t_s, const ObserverClock& clock,
                          rules::Observations& into, SentenceObserver* sentences = nullptr);

// A JSON value as unix seconds: a number, or an ISO 8601 UTC text ("2025-06-14T04:30:00.5Z").
std::optional<double> unix_seconds_of(const nlohmann::json& value);

}  // namespace twincert::harness
