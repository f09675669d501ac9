#include "twincert/harness/observer.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <ctime>
#include <future>
#include <memory>
#include <set>
#include <system_error>
#include <thread>
#include <tuple>

#include <nlohmann/json.hpp>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/line_assembler.hpp"
#include "twincert/harness/target.hpp"
#include "twincert/protocols/iec61162_450/datagram.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"

#include "asio.hpp"
#include "http_client.hpp"
#include "mapping_tally.hpp"
#include "message_streams.hpp"
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace twincert::harness {

namespace {

using asio::awaitable;
using asio::use_awaitable;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxLineBytes = 4096;
// Sentences kept per case: a VDR twin emits a few thousand; a flooding one would otherwise fill
// the harness's memory. Past this the rest are counted, not kept.
constexpr std::size_t kMaxSentences = 200'000;
constexpr std::size_t kTargetsEverySamples = 10;  // Observer::sample
constexpr std::size_t kMaxDatagrams = 50'000;     // 450 datagrams kept per case, likewise

std::optional<double> number_at(const json& j, const std::string& pointer) {
  try {
    const json& v = j.at(json::json_pointer(pointer));
    if (v.is_number()) return v.get<double>();
  } catch (const json::exception&) {
  }
  return std::nullopt;
}

std::optional<std::string> text_at(const json& j, const std::string& pointer) {
  try {
    const json& v = j.at(json::json_pointer(pointer));
    if (v.is_string()) return v.get<std::string>();
  } catch (const json::exception&) {
  }
  return std::nullopt;
}

const json* node_at(const json& j, const std::string& pointer) {
  try {
    return &j.at(json::json_pointer(pointer));
  } catch (const json::exception&) {
    return nullptr;
  }
}

// A field of a table's row: "@key" is the row's key (put in `key` as a JSON text), any other
// text a JSON pointer into the entry.
const json* field_of(const TableRow& row, const std::string& pointer, json& key) {
  if (pointer == kRowKey) {
    key = row.key;
    return &key;
  }
  return node_at(*row.entry, pointer);
}

// An MMSI: a number, or a text of digits (as keys and some APIs give it), of up to 9 digits.
std::optional<double> mmsi_of(const json& v) {
  double mmsi = -1.0;
  if (v.is_number()) {
    mmsi = v.get<double>();
  } else if (v.is_string()) {
    const auto& text = v.get_ref<const std::string&>();
    if (text.empty() || text.size() > 9 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    mmsi = std::stod(text);
  }
  if (!(mmsi >= 0.0 && mmsi <= 999'999'999.0)) return std::nullopt;
  return mmsi;
}

}  // namespace

std::optional<double> unix_seconds_of(const json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const std::string s = value.get<std::string>();
  std::tm tm{};
  int consumed = 0;
  // NOLINTNEXTLINE(cert-err34-c): the fields are checked by count and position below
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  double fraction = 0.0;
  auto at = static_cast<std::size_t>(consumed);
  if (at < s.size() && s[at] == '.') {
    double scale = 0.1;
    for (++at; at < s.size() && s[at] >= '0' && s[at] <= '9'; ++at, scale /= 10) {
      fraction += (s[at] - '0') * scale;
    }
  }
  if (at != s.size() - 1 || s[at] != 'Z') return std::nullopt;
  return static_cast<double>(timegm(&tm)) + fraction;
}

void observe_emitted_line(std::string_view line, double arrival_t_s, const ObserverClock& clock,
                          rules::Observations& into, SentenceObserver* sentences) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  if (line.empty()) return;
  double t = arrival_t_s;
  std::string_view sentence = line;
  if (line.starts_with('\\')) {
    std::size_t consumed = 0;
    const auto tag = nmea0183::parse_tag_block(line, nmea0183::Mode::kLenient, nullptr, &consumed);
    if (tag && tag->unix_time && clock.time == TwinTime::kStream) {
      auto c = static_cast<double>(*tag->unix_time);
      if (c > 1e11) c /= 1000.0;  // some writers put milliseconds in c:
      t = c - clock.start_unix_s;
    }
    const auto close = line.find('\\', 1);
    sentence = close == std::string_view::npos ? std::string_view{} : line.substr(close + 1);
  }
  into.sentences.push_back({t, std::string(line)});
  if (sentence.size() >= 6 && sentence.substr(3, 3) == "HBT") into.heartbeats_s.push_back(t);
  if (sentences != nullptr) sentences->take(sentence, t, into);
}

struct Observer::State {
  Observe spec;
  ObserverClock clock;
  ChildProcess* process = nullptr;
  asio::io_context io;
  std::thread thread;
  bool started = false;
  bool finished = false;
  std::map<std::uint16_t, int> adopted_udp;  // port -> our duplicate of a bound socket
  rules::Observations observations;
  std::optional<SentenceObserver> sentences;  // observe.sentences, when the adapter has it
  std::map<std::string, ObserverProblem> problems;
  // Alerts seen so far: (condition, subject, time, change), to report each change once.
  std::set<std::tuple<std::string, std::string, double, int>> alerts_seen;
  // Alerts without raise times on the stream's clock, tracked from poll to poll: those listed
  // as active at the last poll, and the ended entries (with a clear time) already taken.
  std::set<std::pair<std::string, std::string>> alerts_present;  // condition, subject
  std::set<std::tuple<std::string, std::string, std::string, std::string>> alerts_ended;
  // name -> time of its last value, and where that value is in observations.values
  std::map<std::string, std::pair<double, std::size_t>> last_value;
  // AIS targets: what was last taken of each (time and name), to take each report once.
  std::map<std::uint32_t, std::pair<double, std::optional<std::string>>> last_target;
  // What each mapping of the adapter found, by adapter key (see mapping_tally.hpp).
  std::map<std::string, MappingTally> mappings;
  // Member names of keyed tables their pattern did not take, by adapter key.
  struct SkippedKeys {
    std::string pattern;
    std::string affects;
    std::string example;
    std::size_t count = 0;
  };
  std::map<std::string, SkippedKeys> skipped_keys;
  // The twin's alert words no vocabulary rule maps: (condition|subject, word) -> times seen.
  std::map<std::pair<std::string, std::string>, std::size_t> unmapped_words;
  double last_cpu_s = -1.0;
  Clock::time_point last_cpu_at;
  bool process_gone = false;
  std::size_t samples = 0;  // Observer::sample calls so far

  double now_t() const { return clock.position ? clock.position() : 0.0; }

  double twin_time(double unix_s) const {
    return clock.time == TwinTime::kStream ? unix_s - clock.start_unix_s : now_t();
  }

  void problem(const std::string& what, bool misbehaviour) {
    auto& p = problems[what];
    if (p.count++ == 0) {
      p.what = what;
      p.misbehaviour = misbehaviour;
      p.first_t_s = now_t();
    }
  }

  // The answer as JSON, or nullopt with the problem counted.
  std::optional<json> json_answer(const std::string& url, const HttpAnswer& a) {
    if (a.status == 0) {
      problem("GET " + url + ": " + a.error,
              a.error.starts_with("answer") || a.error.starts_with("not HTTP"));
      return std::nullopt;
    }
    if (a.status != 200) {
      problem("GET " + url + ": HTTP " + std::to_string(a.status), false);
      return std::nullopt;
    }
    json j = json::parse(a.body, nullptr, false);
    if (j.is_discarded()) {
      problem("GET " + url + ": the answer is not JSON", true);
      return std::nullopt;
    }
    return j;
  }

  MappingTally& mapping(const std::string& key, const std::string& pointer,
                        const std::string& expected, const std::string& affects) {
    auto [it, fresh] = mappings.try_emplace(key);
    if (fresh) {
      it->second.key = key;
      it->second.pointer = pointer;
      it->second.expected = expected;
      it->second.affects = affects;
    }
    return it->second;
  }

  // A number of the twin's at `pointer`, tallied under the adapter key `key`.
  std::optional<double> mapped_number(const json& j, const std::string& pointer,
                                      const std::string& key, const JsonValueMap& m) {
    const json* node = node_at(j, pointer);
    const bool number = node != nullptr && node->is_number();
    auto& tally = mapping(key, pointer, "a number", m.name);
    tally.unit = m.transform.unit;
    tally.saw(node, number);
    // Not a number: not known yet (no fix, sensor never heard), or the mapping is wrong.
    return number ? std::optional(node->get<double>()) : std::nullopt;
  }

  // `key`: where the maps are in the adapter ("observe.http[0]").
  void take_values(const std::vector<JsonValueMap>& maps, const json& j, const std::string& key) {
    for (const auto& m : maps) {
      const std::string at = key + ".values." + m.name;
      std::optional<double> raw;
      if (m.combine == Combine::kNone) {
        raw = mapped_number(j, m.value_pointer, at + ".value", m);
      } else {
        const std::string how = at + "." + std::string(name_of(m.combine));
        const auto a = mapped_number(j, m.value_pointer, how + "[0]", m);
        const auto b = mapped_number(j, m.second_pointer, how + "[1]", m);
        if (a && b) raw = combine(m.combine, *a, *b);
      }
      if (!raw) continue;
      const double v = m.transform(*raw);
      if (!std::isfinite(v)) continue;
      double t = now_t();
      if (!m.time_pointer.empty()) {
        const json* time = node_at(j, m.time_pointer);
        const auto unix_s = time != nullptr ? unix_seconds_of(*time) : std::nullopt;
        mapping(at + ".time", m.time_pointer, "a time (unix seconds or ISO 8601 UTC)", m.name)
            .saw(time, unix_s.has_value());
        if (!unix_s) continue;
        t = twin_time(*unix_s);
      }
      const std::size_t at_index = observations.values.size();
      auto [it, fresh] = last_value.try_emplace(m.name, t, at_index);
      if (!fresh && it->second.first == t && !m.time_pointer.empty()) {
        // A value for the same time again: the twin's last word for that time counts. gpsd
        // reports a fix several times per epoch after a fault upsets its cycle detection, the
        // first report (after GGA) with a speed of its own from the positions, the last with
        // the receiver's (evidence: GPSD-003 in fixtures/rules/gpsd.json).
        observations.values[it->second.second].value = v;
        continue;
      }
      it->second = {t, at_index};
      observations.values.push_back({t, m.name, v});
    }
  }

  // Walks a table of the answer, tallying what each level's pointer found under its adapter key
  // (`base`, ".each" per nested level) and counting, as the twin's, a level not found now and
  // then. The rows, or none.
  TableRows table_rows(const Table& table, const json& j, const std::string& base,
                       const std::string& affects, const std::string& url) {
    TableRows t = rows_of(table, j);
    for (const auto& look : t.looks) {
      const TableLevel& level = table.levels[look.level];
      const std::string key = table_key(base, look.level);
      auto& tally = mapping(key, level.at, std::string(describe(level.shape)), affects);
      if (look.level > 0) tally.looked_in = "entries of " + table_key(base, look.level - 1);
      tally.saw(look.node, look.as_expected);
      if (!look.as_expected) {
        // Never found: the adapter's mistake (mapping_tally.hpp); now and then: counted here.
        std::string what = "GET " + url;
        what += ": ";
        what += key;
        what += " (\"";
        what += level.at;
        what += "\"): not ";
        what += describe(level.shape);
        problem(what, false);
      }
    }
    // Names a keyed level's pattern does not take (an own ship without an MMSI, say) are
    // skipped and reported; never blamed on the adapter, as a table may hold nothing else.
    if (t.keys_skipped_count > 0) {
      for (std::size_t i = 0; i < table.levels.size(); ++i) {
        if (!table.levels[i].key) continue;
        auto& skipped = skipped_keys[table_key(base, i) + ".key"];
        skipped.pattern = table.levels[i].key_pattern;
        skipped.affects = affects;
        skipped.count += t.keys_skipped_count;
        if (skipped.example.empty() && !t.keys_skipped.empty()) skipped.example = t.keys_skipped[0];
      }
    }
    return t;
  }

  void note_alert(const std::string& condition, const std::string& subject, double t,
                  rules::AlertChange change) {
    if (!alerts_seen.emplace(condition, subject, t, static_cast<int>(change)).second) return;
    observations.alerts.push_back({t, condition, subject, change});
  }

  using AlertKey = std::pair<std::string, std::string>;  // condition, subject

  // With `time: stream` the twin's raise and clear times are stream times: each change is taken
  // once at its own time. Otherwise (`time: arrival`: its times are on a clock of its own, or
  // it gives none) an alert is raised at the stream time of the poll that first lists it
  // without a clear time, and cleared at the first poll where it is gone or has one; an entry
  // that ended between two polls (listed with a clear time, never seen active) is raised and
  // cleared at the poll that first shows it.
  void take_alerts(const AlertPoll& p, const json& j) {
    std::set<AlertKey> present_now;
    std::vector<AlertKey> ended_now;
    for (std::size_t i = 0; i < p.lists.size(); ++i) {
      const TableRows t = table_rows(
          p.lists[i], j, "observe.alerts.lists[" + std::to_string(i) + "]", "alerts", p.url);
      for (const TableRow& row : t.rows) take_alert(p, row, present_now, ended_now);
    }
    alerts_changed(present_now, ended_now);
  }

  // A word of the twin's vocabulary that no rule maps: reported, never passed silently.
  void unmapped(const char* kind, const std::string& word) { ++unmapped_words[{kind, word}]; }

  // The truth's words for one alert entry: its condition and its subjects (none: not taken).
  std::optional<std::pair<std::string, std::vector<std::string>>> alert_words(const AlertPoll& p,
                                                                              const TableRow& row) {
    json key;
    const json* condition_node = field_of(row, p.condition, key);
    const bool has_condition = condition_node != nullptr && condition_node->is_string();
    auto& condition_tally = mapping("observe.alerts.condition", p.condition, "a text", "alerts");
    condition_tally.looked_in = "alerts listed";
    condition_tally.saw(condition_node, has_condition);
    if (!has_condition) {
      problem("GET " + p.url + ": an alert without a condition at " + p.condition, false);
      return std::nullopt;
    }
    std::string condition = condition_node->get<std::string>();
    std::optional<std::string> implied_subject;
    if (!p.conditions.empty()) {
      if (auto t = translate(p.conditions, condition)) {
        condition = std::move(t->word);
        implied_subject = std::move(t->subject);
      } else {
        unmapped("condition", condition);
        if (p.drop_unmapped) return std::nullopt;
      }
    }
    if (implied_subject) return std::pair{condition, std::vector{*implied_subject}};
    if (p.subject.constant) return std::pair{condition, std::vector{*p.subject.constant}};
    const json* node = field_of(row, p.subject.pointer, key);
    bool ok = node != nullptr && (node->is_string() || (node->is_array() && !node->empty()));
    if (ok && node->is_array()) {
      ok = std::all_of(node->begin(), node->end(), [](const json& x) { return x.is_string(); });
    }
    auto& subject_tally =
        mapping("observe.alerts.subject", p.subject.pointer, "a text or a list of texts", "alerts");
    subject_tally.looked_in = "alerts listed";
    subject_tally.saw(node, ok);
    if (!ok) {
      problem("GET " + p.url + ": an alert without a subject at " + p.subject.pointer, false);
      return std::nullopt;
    }
    std::vector<std::string> read;
    const auto split = [&](const std::string& text) {
      if (p.subject.separator.empty()) {
        read.push_back(text);
        return;
      }
      for (std::size_t from = 0; from <= text.size();) {
        auto end = text.find(p.subject.separator, from);
        if (end == std::string::npos) end = text.size();
        std::string part = text.substr(from, end - from);
        part.erase(0, part.find_first_not_of(' '));
        part.erase(part.find_last_not_of(' ') + 1);
        if (!part.empty()) read.push_back(std::move(part));
        from = end + p.subject.separator.size();
      }
    };
    if (node->is_string()) {
      split(node->get<std::string>());
    } else {
      for (const json& x : *node) split(x.get<std::string>());
    }
    std::vector<std::string> subjects;
    for (auto& s : read) {
      if (p.subjects.empty()) {
        subjects.push_back(std::move(s));
      } else if (auto t = translate(p.subjects, s)) {
        subjects.push_back(std::move(t->word));
      } else {
        unmapped("subject", s);
        if (!p.drop_unmapped) subjects.push_back(std::move(s));
      }
    }
    if (subjects.empty()) return std::nullopt;
    return std::pair{condition, std::move(subjects)};
  }

  // One entry of an alert table: taken at its own times, or noted as present or newly ended,
  // once per subject it names.
  void take_alert(const AlertPoll& p, const TableRow& row, std::set<AlertKey>& present_now,
                  std::vector<AlertKey>& ended_now) {
    const auto words = alert_words(p, row);
    if (!words) return;
    const json& entry = *row.entry;
    const json* raised = node_at(entry, p.raised);
    const auto raised_s = raised != nullptr ? unix_seconds_of(*raised) : std::nullopt;
    const json* cleared = node_at(entry, p.cleared);
    const auto cleared_s = cleared != nullptr ? unix_seconds_of(*cleared) : std::nullopt;
    const std::string& condition = words->first;
    for (const std::string& subject : words->second) {
      if (raised_s && clock.time == TwinTime::kStream) {
        note_alert(condition, subject, twin_time(*raised_s), rules::AlertChange::kRaised);
        if (cleared_s) {
          note_alert(condition, subject, twin_time(*cleared_s), rules::AlertChange::kCleared);
        }
      } else if (!cleared_s) {
        present_now.emplace(condition, subject);
      } else if (alerts_ended
                     .emplace(condition, subject, raised != nullptr ? raised->dump() : "",
                              cleared->dump())
                     .second) {
        ended_now.emplace_back(condition, subject);
      }
    }
  }

  // The changes since the last poll of the alerts tracked by presence, at the stream time now.
  void alerts_changed(std::set<AlertKey>& present_now, const std::vector<AlertKey>& ended_now) {
    const double t = now_t();
    const auto change = [&](const AlertKey& key, rules::AlertChange c) {
      observations.alerts.push_back({t, key.first, key.second, c});
    };
    for (const auto& key : alerts_present) {
      if (!present_now.contains(key)) change(key, rules::AlertChange::kCleared);
    }
    for (const auto& key : ended_now) {
      if (!alerts_present.contains(key)) {  // began and ended between two polls
        change(key, rules::AlertChange::kRaised);
        change(key, rules::AlertChange::kCleared);
      } else if (present_now.contains(key)) {  // ended, and another began, between two polls
        change(key, rules::AlertChange::kCleared);
        change(key, rules::AlertChange::kRaised);
      }  // else: the one seen active has ended, cleared above
    }
    for (const auto& key : present_now) {
      if (!alerts_present.contains(key)) change(key, rules::AlertChange::kRaised);
    }
    alerts_present = std::move(present_now);
  }

  void take_targets(const TargetPoll& p, const json& j) {
    const TableRows rows = table_rows(p.list, j, "observe.targets.list", "targets", p.url);
    if (rows.looks.empty() || !rows.looks.front().as_expected) return;
    double table_t = now_t();
    if (!p.now.empty()) {
      const json* node = node_at(j, p.now);
      if (const auto unix_s = node != nullptr ? unix_seconds_of(*node) : std::nullopt) {
        table_t = twin_time(*unix_s);
      }
    }
    for (const TableRow& row : rows.rows) {
      const json& entry = *row.entry;
      json key;
      const json* mmsi_node = field_of(row, p.mmsi, key);
      const auto mmsi = mmsi_node != nullptr ? mmsi_of(*mmsi_node) : std::nullopt;
      const bool valid = mmsi.has_value();
      mapping("observe.targets.mmsi", p.mmsi, "an MMSI", "targets").saw(mmsi_node, valid);
      if (!valid) {
        problem("GET " + p.url + ": a target without an MMSI at " + p.mmsi, false);
        continue;
      }
      rules::TargetObservation x;
      x.mmsi = static_cast<std::uint32_t>(*mmsi);
      x.lat = number_at(entry, p.lat);
      x.lon = number_at(entry, p.lon);
      x.name = text_at(entry, p.name);
      x.cpa_nm = number_at(entry, p.cpa);
      x.tcpa_min = number_at(entry, p.tcpa);
      x.encounter_t_s = table_t;
      x.t_s = now_t();
      if (!p.time.empty()) {
        const json* node = node_at(entry, p.time);
        const auto unix_s = node != nullptr ? unix_seconds_of(*node) : std::nullopt;
        if (!unix_s) continue;  // no position yet
        x.t_s = twin_time(*unix_s);
      }
      auto [it, fresh] = last_target.try_emplace(x.mmsi, x.t_s, x.name);
      if (!fresh && it->second.first == x.t_s && it->second.second == x.name) continue;
      it->second = {x.t_s, x.name};
      observations.targets.push_back(std::move(x));
    }
  }

  awaitable<bool> targets_once(const TargetPoll& p, const HttpUrl& url) {  // answered?
    const auto a = co_await async_http(io, url, HttpMethod::kGet, spec.liveness_timeout);
    if (const auto j = json_answer(p.url, a)) take_targets(p, *j);
    co_return a.status != 0;
  }

  awaitable<void> targets_loop(const TargetPoll& p) {
    const HttpUrl url = parse_http_url(p.url);
    for (;;) {
      co_await targets_once(p, url);
      co_await sleep(p.every);
    }
  }

  awaitable<void> sleep(std::chrono::milliseconds d) {
    asio::steady_timer timer(io);
    timer.expires_after(d);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
  }

  awaitable<bool> poll_once(const HttpPoll& p, const HttpUrl& url) {  // answered?
    const auto a = co_await async_http(io, url, HttpMethod::kGet, spec.liveness_timeout);
    if (const auto j = json_answer(p.url, a)) {
      take_values(p.values, *j, "observe.http[" + std::to_string(&p - spec.http.data()) + "]");
    }
    co_return a.status != 0;
  }

  awaitable<bool> alerts_once(const AlertPoll& p, const HttpUrl& url) {  // answered?
    const auto a = co_await async_http(io, url, HttpMethod::kGet, spec.liveness_timeout);
    if (const auto j = json_answer(p.url, a)) take_alerts(p, *j);
    co_return a.status != 0;
  }

  awaitable<void> poll_loop(const HttpPoll& p) {
    const HttpUrl url = parse_http_url(p.url);
    for (;;) {
      co_await poll_once(p, url);
      co_await sleep(p.every);
    }
  }

  awaitable<void> alerts_loop(const AlertPoll& p) {
    const HttpUrl url = parse_http_url(p.url);
    for (;;) {
      co_await alerts_once(p, url);
      co_await sleep(p.every);
    }
  }

  // One probe of a line protocol: connect, write `send`, read one whole line, all within
  // liveness_timeout (a timer closes the socket, since Asio 1.18 has no cancel_after). The
  // timer's handler shares the socket, so it may run after this coroutine has returned.
  awaitable<rules::ProbeObservation> tcp_probe_once(Target t, std::string send) {
    rules::ProbeObservation p;
    p.t_s = now_t();
    const auto sent = Clock::now();
    auto socket = std::make_shared<asio::ip::tcp::socket>(io);
    asio::steady_timer deadline(io);
    deadline.expires_after(spec.liveness_timeout);
    deadline.async_wait([socket](const boost::system::error_code& ec) {
      if (ec) return;  // cancelled: answered in time
      boost::system::error_code ignored;
      socket->close(ignored);
    });
    boost::system::error_code ec;
    const asio::ip::tcp::endpoint at(asio::ip::make_address(t.host, ec), t.port);
    if (!ec) {
      co_await socket->async_connect(at, asio::redirect_error(use_awaitable, ec));
    }
    if (!ec && !send.empty()) {
      co_await asio::async_write(*socket, asio::buffer(send),
                                 asio::redirect_error(use_awaitable, ec));
    }
    std::string line;
    if (!ec) {
      co_await asio::async_read_until(*socket, asio::dynamic_buffer(line, kMaxLineBytes), '\n',
                                      asio::redirect_error(use_awaitable, ec));
    }
    deadline.cancel();
    p.answered = !ec;
    p.latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
    boost::system::error_code ignored;
    socket->close(ignored);
    co_return p;
  }

  awaitable<void> tcp_liveness_loop(Target t, std::string send) {
    for (;;) {
      observations.probes.push_back(co_await tcp_probe_once(t, send));
      co_await sleep(spec.liveness_every);
    }
  }

  awaitable<void> liveness_loop(const std::string& target) {
    const HttpUrl url = parse_http_url(target);
    for (;;) {
      const auto a = co_await async_http(io, url, HttpMethod::kGet, spec.liveness_timeout);
      rules::ProbeObservation p;
      p.t_s = now_t();
      p.answered = a.status == 200;
      p.latency_ms = a.latency_ms;
      observations.probes.push_back(p);
      co_await sleep(spec.liveness_every);
    }
  }

  void sample_process() {
    if (process == nullptr || process_gone) return;
    rules::ProbeObservation p;
    p.kind = rules::ProbeKind::kProcess;
    p.t_s = now_t();
    const auto s = process->running() ? process->sample() : std::nullopt;
    if (!s) {
      process_gone = true;
      p.answered = false;
      observations.probes.push_back(p);
      problem("the twin's process ended: " + process->ended().value_or("gone"), false);
      return;
    }
    p.rss_bytes = static_cast<double>(s->rss_bytes);
    const auto now = Clock::now();
    if (last_cpu_s >= 0.0) {
      const double wall = std::chrono::duration<double>(now - last_cpu_at).count();
      if (wall > 0.0) p.cpu_percent = 100.0 * (s->cpu_seconds - last_cpu_s) / wall;
    }
    last_cpu_s = s->cpu_seconds;
    last_cpu_at = now;
    observations.probes.push_back(p);
  }

  awaitable<void> process_loop() {
    for (;;) {
      sample_process();
      co_await sleep(spec.process_every);
    }
  }

  void take_line(std::string_view line, double arrival) {
    if (observations.sentences.size() >= kMaxSentences) {
      // Every line of a flood lands here: the message is made once, not per line.
      static const std::string too_many = "the twin emitted over " + std::to_string(kMaxSentences) +
                                          " sentences in one case; the rest were counted, not kept";
      problem(too_many, false);
      return;
    }
    observe_emitted_line(line, arrival, clock, observations, sentences ? &*sentences : nullptr);
  }

  // `as_450`: the adapter says the twin emits IEC 61162-450 datagrams here (?format=450); a
  // datagram that begins with the 450 token is judged as one anyway.
  void take_datagram(std::string_view bytes, bool as_450) {
    const bool tokened = bytes.starts_with(iec61162_450::kSentenceToken);
    if ((as_450 || tokened) && observations.datagrams.size() < kMaxDatagrams) {
      observations.datagrams.push_back(
          {now_t(), std::string(bytes.substr(0, rules::kMaxDatagramBytesKept)), bytes.size()});
    }
    if (tokened) bytes.remove_prefix(iec61162_450::kSentenceToken.size());
    const double arrival = now_t();
    while (!bytes.empty()) {
      const auto end = bytes.find('\n');
      take_line(bytes.substr(0, end), arrival);
      if (end == std::string_view::npos) break;
      bytes.remove_prefix(end + 1);
    }
  }

  awaitable<void> udp_listen(Target t, bool as_450, asio::ip::udp::socket socket) {
    std::vector<char> buffer(65536);
    for (;;) {
      asio::ip::udp::endpoint from;
      boost::system::error_code ec;
      const std::size_t n = co_await socket.async_receive_from(
          asio::buffer(buffer), from, asio::redirect_error(use_awaitable, ec));
      if (ec) {
        problem("listening on " + t.text + ": " + ec.message(), false);
        co_await sleep(std::chrono::milliseconds(50));
        continue;
      }
      take_datagram(std::string_view(buffer.data(), n), as_450);
    }
  }

  // Reads lines from a TCP peer (NMEA or JSON), reconnecting while the case runs, with back-off
  // (100 ms doubling to 2 s), each break of a connection that was up reported as a gap with its
  // length, as the WebSocket and event streams do. Takes its target and opening by value: the
  // caller's are locals of a loop that has ended before this coroutine first runs.
  template <class OnLine>
  awaitable<void> tcp_lines(Target t, std::string opening, OnLine on_line) {
    std::vector<char> buffer(8192);
    Backoff backoff;
    Gaps gaps(t.text);
    const MessageStreamEvents events{
        nullptr, [this](const std::string& what, bool twin) { problem(what, twin); }};
    for (;;) {
      asio::ip::tcp::socket socket(io);
      boost::system::error_code ec;
      const asio::ip::tcp::endpoint at(asio::ip::make_address(t.host, ec), t.port);
      if (!ec) co_await socket.async_connect(at, asio::redirect_error(use_awaitable, ec));
      if (ec) {
        gaps.failed(events, ec.message());
        co_await sleep(backoff.next());
        continue;
      }
      backoff.connected();
      gaps.up(events);
      if (!opening.empty()) {
        co_await asio::async_write(socket, asio::buffer(opening),
                                   asio::redirect_error(use_awaitable, ec));
      }
      LineAssembler lines(kMaxLineBytes);
      while (!ec) {
        const std::size_t n = co_await socket.async_read_some(
            asio::buffer(buffer), asio::redirect_error(use_awaitable, ec));
        const std::size_t overlong = lines.overlong();
        lines.feed(std::string_view(buffer.data(), n), on_line);
        if (lines.overlong() != overlong) problem(t.text + ": a line over 4 KiB", true);
      }
      if (lines.reset()) problem(t.text + ": the connection ended in the middle of a line", false);
      gaps.broke(events, ec == asio::error::eof ? "closed by the twin" : ec.message());
      co_await sleep(backoff.next());
    }
  }

  void take_json_line(const JsonLinesStream& s, std::string_view line) {
    const std::string key =
        s.key.empty() ? "observe.json_lines[" + std::to_string(&s - spec.json_lines.data()) + "]"
                      : s.key;
    const json j = json::parse(line, nullptr, false);
    if (j.is_discarded()) {
      problem(s.url + (s.transport == StreamTransport::kJsonLines ? ": a line that is not JSON"
                                                                  : ": a message that is not JSON"),
              true);
      return;
    }
    if (!s.match_pointer.empty() && text_at(j, s.match_pointer) != s.match_value) return;
    if (!s.deltas) {
      take_values(s.values, j, key);
      return;
    }
    // Path/value updates: each update becomes {"<path>": {"value", "timestamp"}, ...}, which the
    // value maps' pointers were made for (adapter.cpp, delta_value_of).
    const DeltaShape& d = *s.deltas;
    const json* updates = node_at(j, d.updates);
    mapping(key + ".deltas.updates", d.updates, "a list", "values")
        .saw(updates, updates != nullptr && updates->is_array());
    if (updates == nullptr || !updates->is_array()) return;
    for (const json& u : *updates) {
      const json* values = node_at(u, d.values);
      mapping(key + ".deltas.values", d.values, "a list", "values")
          .saw(values, values != nullptr && values->is_array());
      if (values == nullptr || !values->is_array()) continue;
      const json* time = d.time.empty() ? nullptr : node_at(u, d.time);
      json flat = json::object();
      for (const json& v : *values) {
        const json* path = node_at(v, d.path);
        const json* value = node_at(v, d.value);
        if (path == nullptr || !path->is_string() || value == nullptr) continue;
        json& entry = flat[path->get<std::string>()];
        entry["value"] = *value;
        if (time != nullptr) entry["timestamp"] = *time;
      }
      take_values(s.values, flat, key);
    }
  }

  // What a kept socket received between cases belongs to no case.
  static void drain(int fd) {
    std::array<char, 2048> sink{};
    while (::recv(fd, sink.data(), sink.size(), MSG_DONTWAIT) >= 0) {
    }
  }

  void spawn_all() {
    // Bad URLs are configuration errors, found before anything runs.
    for (const auto& p : spec.http) (void)parse_http_url(p.url);
    if (spec.alerts) (void)parse_http_url(spec.alerts->url);
    if (spec.targets) (void)parse_http_url(spec.targets->url);
    const bool tcp_liveness = spec.liveness_url && spec.liveness_url->starts_with("tcp://");
    if (spec.liveness_url && !tcp_liveness) (void)parse_http_url(*spec.liveness_url);
    const auto detached = [](const std::exception_ptr& e) {
      if (e) std::rethrow_exception(e);  // a bug in the observer itself: fail loudly
    };
    for (const auto& p : spec.http) asio::co_spawn(io, poll_loop(p), detached);
    if (spec.alerts) asio::co_spawn(io, alerts_loop(*spec.alerts), detached);
    if (spec.targets) asio::co_spawn(io, targets_loop(*spec.targets), detached);
    if (tcp_liveness) {
      const Target t = parse_target(*spec.liveness_url);
      if (t.kind != TargetKind::kTcp) {
        throw ConfigError("observe.liveness: " + *spec.liveness_url + " is not tcp://HOST:PORT");
      }
      asio::co_spawn(io, tcp_liveness_loop(t, spec.liveness_send), detached);
    } else if (spec.liveness_url) {
      asio::co_spawn(io, liveness_loop(*spec.liveness_url), detached);
    }
    if (process != nullptr && spec.process_every.count() > 0) {
      asio::co_spawn(io, process_loop(), detached);
    }
    for (const auto& url : spec.nmea) {
      const Target t = parse_target(url);
      if (t.kind == TargetKind::kUdp) {
        asio::ip::udp::socket socket(io);
        const asio::ip::udp::endpoint at(asio::ip::make_address(t.host), t.port);
        if (const auto a = adopted_udp.find(t.port); a != adopted_udp.end()) {
          drain(a->second);
          socket.assign(at.protocol(), a->second);
          adopted_udp.erase(a);
        } else {
          boost::system::error_code ec;
          socket.open(at.protocol(), ec);
          if (!ec) socket.bind(at, ec);
          if (ec) {
            throw ConfigError("observe.nmea: " + url + ": cannot listen (" + ec.message() + ")");
          }
        }
        socket.set_option(asio::ip::udp::socket::receive_buffer_size(4 * 1024 * 1024));
        // Only when the adapter says so: a UDP target's default format is 450 for sending.
        const bool as_450 = url.find("format=450") != std::string::npos;
        asio::co_spawn(io, udp_listen(t, as_450, std::move(socket)), detached);
      } else if (t.kind == TargetKind::kTcp) {
        asio::co_spawn(
            io, tcp_lines(t, "", [this, t](std::string_view line) { take_line(line, now_t()); }),
            detached);
      } else {
        throw ConfigError("observe.nmea: " + url +
                          " (listen on udp://HOST:PORT or read tcp://HOST:PORT)");
      }
    }
    spawn_streams(detached);
  }

  // The streams the twin pushes (JSON lines, WebSocket, server-sent events), one coroutine each.
  template <class Detached>
  void spawn_streams(const Detached& detached) {
    for (const auto& s : spec.json_lines) {
      const auto on_message = [this, &s](std::string_view text) { take_json_line(s, text); };
      if (s.transport == StreamTransport::kWebSocket) {
        asio::co_spawn(io,
                       websocket_messages(io.get_executor(), parse_websocket_url(s.url), s.opening,
                                          {on_message, [this](const std::string& what,
                                                              bool twin) { problem(what, twin); }}),
                       detached);
        continue;
      }
      if (s.transport == StreamTransport::kServerSentEvents) {
        asio::co_spawn(io,
                       server_sent_events(io.get_executor(), parse_http_url(s.url),
                                          {on_message, [this](const std::string& what,
                                                              bool twin) { problem(what, twin); }}),
                       detached);
        continue;
      }
      const Target t = parse_target(s.url);
      if (t.kind != TargetKind::kTcp) {
        throw ConfigError("observe.json_lines: " + s.url + " is not tcp://HOST:PORT");
      }
      asio::co_spawn(io, tcp_lines(t, s.opening, on_message), detached);
    }
  }

  // One poll each, for Observer::sample: they take nothing of the caller's by reference, as it
  // has returned before they run.
  awaitable<bool> sample_http(std::size_t i) {
    co_return co_await poll_once(spec.http[i], parse_http_url(spec.http[i].url));
  }
  awaitable<bool> sample_alerts() {
    co_return co_await alerts_once(*spec.alerts, parse_http_url(spec.alerts->url));
  }
  awaitable<bool> sample_targets() {
    co_return co_await targets_once(*spec.targets, parse_http_url(spec.targets->url));
  }

  awaitable<void> final_round() {
    for (const auto& p : spec.http) {
      co_await poll_once(p, parse_http_url(p.url));
    }
    if (spec.alerts) {
      co_await alerts_once(*spec.alerts, parse_http_url(spec.alerts->url));
    }
    if (spec.targets) {
      co_await targets_once(*spec.targets, parse_http_url(spec.targets->url));
    }
    sample_process();
    if (sentences) sentences->finish(observations);
    io.stop();
  }
};

Observer::Observer(Observe spec, ObserverClock clock, ChildProcess* process)
    : state_(std::make_unique<State>()) {
  state_->spec = std::move(spec);
  state_->clock = std::move(clock);
  state_->process = process;
  const SentenceMaps& maps = state_->spec.sentences;
  if (!maps.values.empty() || maps.alerts) state_->sentences.emplace(maps);
}

Observer::~Observer() {
  finish();
  for (const auto& [port, fd] : state_->adopted_udp) ::close(fd);
}

void Observer::adopt_udp_socket(std::uint16_t port, int bound_fd) {
  const int copy = ::fcntl(bound_fd, F_DUPFD_CLOEXEC, 0);  // NOLINT: a twin must not inherit it
  if (copy < 0) throw std::system_error(errno, std::generic_category(), "duplicating a socket");
  if (const auto old = state_->adopted_udp.find(port); old != state_->adopted_udp.end()) {
    ::close(old->second);
  }
  state_->adopted_udp[port] = copy;
}

void Observer::start() {
  if (state_->started) return;
  state_->spawn_all();  // binds listeners now: a bad address is a configuration error here
  state_->thread = std::thread([s = state_.get()] { s->io.run(); });
  state_->started = true;  // only now: finish() joins the thread
}

bool Observer::sample() {
  State& s = *state_;
  if (!s.started || s.finished) return false;
  // The polls at once (their answers overlap with the twin's work on the next), each telling
  // `done` when it ends; shared with them, so a wait that gives up leaves them nothing dangling.
  struct Round {
    std::promise<bool> promise;
    std::size_t left = 0;  // touched on the observer's thread only
    bool answered = true;
  };
  auto round = std::make_shared<Round>();
  auto finished = round->promise.get_future();
  const auto done = [round](const std::exception_ptr& e, bool answered) {
    round->answered = round->answered && answered;
    if (--round->left == 0) round->promise.set_value(round->answered);
    if (e) std::rethrow_exception(e);  // a bug in the observer itself: fail loudly
  };
  // The AIS target table at every tenth sampling point only: a table of hundreds of targets
  // costs the twin and the harness milliseconds a time (an hour's soak among 250 targets took
  // 2.5 times as long with it every time), its positions carry their own times, and AIS reports
  // come every 2 to 10 s underway, less often at anchor.
  const bool targets = s.spec.targets && s.samples++ % kTargetsEverySamples == 0;
  round->left = s.spec.http.size() + (s.spec.alerts ? 1U : 0U) + (targets ? 1U : 0U);
  if (round->left == 0) return true;
  const auto calls = static_cast<std::chrono::milliseconds::rep>(round->left);
  for (std::size_t i = 0; i < s.spec.http.size(); ++i) asio::co_spawn(s.io, s.sample_http(i), done);
  if (s.spec.alerts) asio::co_spawn(s.io, s.sample_alerts(), done);
  if (targets) asio::co_spawn(s.io, s.sample_targets(), done);
  return finished.wait_for(s.spec.liveness_timeout * (calls + 1)) == std::future_status::ready &&
         finished.get();
}

void Observer::finish() {
  if (!state_->started || state_->finished) return;
  state_->finished = true;
  asio::co_spawn(state_->io, state_->final_round(),
                 [s = state_.get()](const std::exception_ptr&) { s->io.stop(); });
  if (state_->thread.joinable()) state_->thread.join();
}

namespace {

// What a sentence value map found, as the tally of a pointer mapping: the sentences of its type
// are its answers.
MappingTally tally_of(const SentenceMapFindings& f) {
  MappingTally t;
  t.key = f.key;
  t.pointer = f.field;
  t.expected = "a number";
  t.affects = f.affects;
  t.unit = f.unit;
  t.looked_in = f.field.substr(0, f.field.find(' ')) + " sentences";
  t.answers = f.seen;
  t.found = f.found;
  t.nulls = f.nulls;
  t.absent = f.absent;
  t.other = "not a number";
  return t;
}

}  // namespace

std::vector<MappingFindings> Observer::mapping_findings() const {
  std::vector<MappingFindings> out;
  for (const auto& [key, m] : state_->mappings) {
    out.push_back(
        {m.key, m.pointer, m.expected, m.affects, m.answers, m.found, m.absent, m.nulls, m.other});
  }
  if (state_->sentences) {
    for (const auto& f : state_->sentences->findings()) {
      const MappingTally m = tally_of(f);
      out.push_back({m.key, m.pointer, m.expected, m.affects, m.answers, m.found, m.absent, m.nulls,
                     m.other});
    }
  }
  return out;
}

const rules::Observations& Observer::observations() const {
  return state_->observations;
}

std::vector<ObserverProblem> Observer::problems() const {
  std::vector<ObserverProblem> out;
  for (const auto& [key, p] : state_->problems) out.push_back(p);
  for (const auto& [key, m] : state_->mappings) {
    if (const auto why = m.adapter_fault()) {
      ObserverProblem p;
      p.what = *why;
      p.count = m.answers;
      p.adapter_key = m.key;
      p.affects = m.affects;
      out.push_back(std::move(p));
    }
  }
  if (state_->sentences) {
    for (const auto& f : state_->sentences->findings()) {
      const MappingTally m = tally_of(f);
      if (const auto why = m.adapter_fault()) {
        ObserverProblem p;
        p.what = *why;
        p.count = m.answers;
        p.adapter_key = m.key;
        p.affects = m.affects;
        out.push_back(std::move(p));
      }
    }
    for (const auto& x : state_->sentences->problems()) {
      ObserverProblem p;
      p.what = x.what;
      p.count = x.count;
      p.affects = x.affects;
      out.push_back(std::move(p));
    }
  }
  for (const auto& [key, skipped] : state_->skipped_keys) {
    ObserverProblem p;
    p.what = key + ": member names \"" + skipped.pattern +
             "\" does not take were skipped, such as \"" + skipped.example + "\"";
    p.count = skipped.count;
    p.affects = skipped.affects;
    out.push_back(std::move(p));
  }
  for (const auto& [word, count] : state_->unmapped_words) {
    ObserverProblem p;
    p.what =
        "observe.alerts.vocabulary." + word.first + ": no entry maps the twin's word \"" +
        word.second + "\" (" +
        (state_->spec.alerts && state_->spec.alerts->drop_unmapped ? "dropped" : "kept as it is") +
        ")";
    p.count = count;
    p.affects = "alerts";
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace twincert::harness
