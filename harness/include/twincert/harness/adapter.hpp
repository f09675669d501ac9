// A twin adapter (schema twincert.adapter/1, docs/formats/adapter.md): how to start a twin under
// test, when it is ready, where its input goes, how to observe it, and how to let it settle
// before the verdict. Texts may hold placeholders that each twin instance fills in:
//   ${port.NAME}      a free loopback port, one per NAME and instance (never a fixed port, so
//                     several instances can run side by side)
//   ${case_dir}       the case's own folder (logs, files the twin writes)
//   ${reference_twin} the path of twincert-reference-twin
// Plain values; loading throws ConfigError naming the file and key.
// Values are thread-compatible; the functions keep no state and are thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "twincert/harness/child_process.hpp"
#include "twincert/harness/mapping.hpp"
#include "twincert/harness/sentence_observer.hpp"

namespace twincert::harness {

// Where a twin puts the times of what it reports: on the stream's clock (tag-block c: of its
// input; then its unix times map onto the scenario by the truth's start), or nowhere (then the
// harness stamps each observation on arrival with the stream time then, stream_clock.hpp).
enum class TwinTime : std::uint8_t { kStream, kArrival };

enum class BetweenCases : std::uint8_t { kRestart, kReset };

// A value read from a JSON answer: the value's JSON pointer (or two, combined), what the
// number becomes in the truth's unit and, optionally, the pointer of its time (unix seconds or
// ISO 8601 on the twin's clock).
struct JsonValueMap {
  JsonValueMap() = default;
  // One number as it is, at `value` (and its time at `time`).
  JsonValueMap(std::string quantity, std::string value, std::string time = {})
      : name(std::move(quantity)), value_pointer(std::move(value)), time_pointer(std::move(time)) {}

  std::string name;  // a truth quantity, e.g. "heading_deg"
  std::string value_pointer;
  std::string time_pointer;    // empty: the time of the poll
  std::string second_pointer;  // with combine: the second number
  Combine combine = Combine::kNone;
  ValueTransform transform;
};

struct HttpPoll {
  std::string url;  // http://HOST:PORT/PATH
  std::chrono::milliseconds every{50};
  std::vector<JsonValueMap> values;
};

// Where an alert's subject comes from: a pointer in the entry (or "@key") to a text or a list
// of texts (several subjects: one alert each), a text split at `separator`, or a constant.
struct AlertSubject {
  std::string pointer = "/subject";
  std::string separator;                // non-empty: one text holds several subjects
  std::optional<std::string> constant;  // every alert is about this
};

// Alerts as JSON tables: each entry's condition, subject and its raise and clear times, and the
// twin's words for conditions and subjects in the truth's words.
struct AlertPoll {
  std::string url;
  std::chrono::milliseconds every{200};
  std::vector<Table> lists = {list_at("/active"), list_at("/history")};
  std::string condition = "/condition";  // a pointer, or "@key"
  AlertSubject subject;
  std::string raised = "/raised_unix_s";
  std::string cleared = "/cleared_unix_s";
  // Vocabulary; empty: the twin's words are the truth's. A word no rule matches is kept as
  // it is (or dropped with `drop_unmapped`) and reported, never passed silently.
  std::vector<WordRule> conditions;
  std::vector<WordRule> subjects;
  bool drop_unmapped = false;
};

// The twin's AIS target table: per entry the MMSI, position, name and the position's time
// (unix seconds), each at a JSON pointer within the entry (or "@key": the entry's key).
struct TargetPoll {
  std::string url;
  std::chrono::milliseconds every{500};
  Table list = list_at("/targets");
  std::string mmsi = "/mmsi";
  std::string lat = "/lat";
  std::string lon = "/lon";
  std::string name = "/name";
  std::string time;  // the position's time; empty: the time of the poll
  std::string cpa = "/cpa_nm";
  std::string tcpa = "/tcpa_min";
  std::string now;  // in the whole answer: the time CPA/TCPA hold for; empty: the poll's
};

// Where a stream of path/value updates (deltas, as Signal K servers send them) keeps its
// parts: a list of updates, each with its time and a list of {path, value}. A stream with deltas
// maps each value by its path (JsonValueMap pointers then point into {"value", "timestamp"}).
struct DeltaShape {
  std::string updates = "/updates";
  std::string values = "/values";
  std::string path = "/path";
  std::string value = "/value";
  std::string time = "/timestamp";  // in each update; empty: the time of arrival
};

// A stream of JSON messages the twin pushes: JSON lines over TCP (as gpsd speaks), WebSocket
// text messages, or server-sent events; connect, send an opening (a command, a subscription),
// read, reconnect with back-off.
enum class StreamTransport : std::uint8_t { kJsonLines, kWebSocket, kServerSentEvents };

struct JsonLinesStream {
  std::string url;  // tcp://HOST:PORT, ws://HOST:PORT/PATH, or http://HOST:PORT/PATH (events)
  StreamTransport transport = StreamTransport::kJsonLines;
  std::string key;      // where it is in the adapter ("observe.streams[1]"); empty: json_lines[i]
  std::string opening;  // sent once connected, e.g. ?WATCH={"enable":true,"json":true}\n
  std::string match_pointer;
  std::string match_value;  // only lines whose match_pointer holds this string
  std::optional<DeltaShape> deltas;
  std::vector<JsonValueMap> values;
};

struct Observe {
  std::vector<std::string> nmea;  // udp://HOST:PORT or tcp://HOST:PORT: what the twin emits
  SentenceMaps sentences;         // values and alerts read from what arrives there
  std::vector<HttpPoll> http;
  std::optional<AlertPoll> alerts;
  std::optional<TargetPoll> targets;
  std::vector<JsonLinesStream> json_lines;  // "json_lines" (TCP) and "streams" (any transport)
  // http://...: GET, answered = HTTP 200. tcp://HOST:PORT: connect, write liveness_send (if
  // any), answered = a whole line back (a daemon with a line protocol and no HTTP, as gpsd).
  std::optional<std::string> liveness_url;
  std::string liveness_send;
  std::chrono::milliseconds liveness_every{100};
  std::chrono::milliseconds liveness_timeout{1000};
  std::chrono::milliseconds process_every{200};  // 0: no process samples
  // At virtual pacing the replay pauses every this many seconds of stream time for one round of
  // the HTTP polls (values, alerts, targets); 0: only the polls' own wall-clock rhythm.
  double sample_every_s = 1.0;
};

// After the replay: wait until the twin has taken in what it was sent (a counter at a JSON
// pointer reaches the number of frames, or stops moving for `quiet`), at most `timeout`.
struct Settle {
  std::string url;
  std::string pointer;
  std::chrono::milliseconds quiet{300};
  std::chrono::milliseconds timeout{10000};
};

// Flow control of the replay (replay.hpp FlowControl): a counter of what the twin has taken in,
// read at a JSON pointer of an HTTP answer; at most `window` frames beyond it are in flight.
struct Flow {
  std::string url;
  std::string pointer;
  std::size_t window = 256;
  std::chrono::milliseconds stall{300};
};

// A deliberately faulty variant of the twin (for mutation testing of the campaign itself):
// extra arguments, and the rules that must catch it.
struct Mutant {
  std::string name;
  std::vector<std::string> args;
  std::vector<std::string> caught_by;
};

// A channel of the twin's input: frames of these sources ("AI0001", "AI*"; none: all the others)
// go to the target URL `to`.
struct SendRoute {
  std::vector<std::string> sources;
  std::string to;
};

struct TwinAdapter {
  std::string name;
  std::string description;
  std::vector<std::string> command;  // program and arguments, with placeholders
  std::map<std::string, std::string> environment;
  // Readiness: the probe's port, URL or log line hold placeholders.
  ReadyProbe ready_probe = ReadyProbe::kHttp200;
  std::string ready_target;  // kPortOpen: "${port.x}", kHttp200: URL, kLogLine: the text
  std::chrono::milliseconds ready_timeout{10000};
  std::chrono::milliseconds stop_grace{2000};
  std::string pid_file;  // with placeholders; empty: the twin is its first process's group
  BetweenCases between_cases = BetweenCases::kRestart;
  std::string reset_url;  // kReset: POST here
  bool parallel = true;   // several instances may run at once
  // Where the twin's input goes: one target URL (harness/target.hpp) for every frame, or one
  // per channel, each taking the frames of some sources (replay.hpp Route).
  std::vector<SendRoute> send;
  std::string pacing = "virtual";
  TwinTime time = TwinTime::kStream;
  Observe observe;
  std::optional<Settle> settle;
  std::optional<Flow> flow;
  std::vector<Mutant> mutants;
  std::filesystem::path origin;  // the file it came from
};

// The adapter key of an alert list or the target table in problems and errors
// ("observe.alerts.lists[1]", "observe.targets.list"), with ".each" per nested level.
std::string table_key(const std::string& base, std::size_t level);

TwinAdapter load_adapter(const std::filesystem::path& path);

// Placeholder values of one twin instance.
struct AdapterVariables {
  std::map<std::string, std::uint16_t> ports;  // NAME -> port
  std::filesystem::path case_dir;
  std::filesystem::path reference_twin;
};

// The port names an adapter uses (${port.NAME}), sorted.
std::vector<std::string> port_names(const TwinAdapter& adapter);
// Fills the placeholders; throws ConfigError on an unknown one.
std::string expand(const std::string& text, const AdapterVariables& variables);
// The adapter with every placeholder filled in.
TwinAdapter instantiate(const TwinAdapter& adapter, const AdapterVariables& variables);
// Throws ConfigError naming the adapter file and start.command[0] when the program
// (its placeholders filled in) does not exist, is not executable or is not on PATH.
void check_program(const TwinAdapter& adapter, const AdapterVariables& variables);

}  // namespace twincert::harness
