// A twin adapter (schema twincert.adapter/1, docs/formats/adapter.md): how to start a twin under
// test, when it is ready, where its input goes, how to observe it, and how to let it settle
// before the verdict. Texts may hold placeholders that each twin instance fills in:
//   ${port.NAME}      a free loopback port, one per NAME and instance (never a fixed port, so
//                     several instances can run side by side)
//   ${case_dir}       the case's own folder (logs, files the twin writes)
//   ${reference_twin} the path of twincert-reference-twin
// Plain values; loading throws generators::ConfigError naming the file and key.
// Values are thread-compatible; the functions keep no state and are thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "twincert/harness/child_process.hpp"

namespace twincert::harness {

// Where a twin puts the times of what it reports: on the stream's clock (tag-block c: of its
// input; then its unix times map onto the scenario by the truth's start), or nowhere (then the
// harness stamps each observation on arrival with the stream time then, stream_clock.hpp).
enum class TwinTime : std::uint8_t { kStream, kArrival };

enum class BetweenCases : std::uint8_t { kRestart, kReset };

// A value read from a JSON answer: the value's JSON pointer and, optionally, the pointer of
// its time (unix seconds on the twin's clock).
struct JsonValueMap {
  std::string name;  // a truth quantity, e.g. "heading_deg"
  std::string value_pointer;
  std::string time_pointer;  // empty: the time of the poll
};

struct HttpPoll {
  std::string url;  // http://HOST:PORT/PATH
  std::chrono::milliseconds every{50};
  std::vector<JsonValueMap> values;
};

// Alerts as a JSON list: each entry's condition, subject and its raise and clear times.
struct AlertPoll {
  std::string url;
  std::chrono::milliseconds every{200};
  std::vector<std::string> lists = {"/active", "/history"};
  std::string condition = "/condition";
  std::string subject = "/subject";
  std::string raised = "/raised_unix_s";
  std::string cleared = "/cleared_unix_s";
};

// The twin's AIS target table as a JSON list: per entry the MMSI, position, name and the
// position's time (unix seconds), each at a JSON pointer within the entry.
struct TargetPoll {
  std::string url;
  std::chrono::milliseconds every{500};
  std::string list = "/targets";
  std::string mmsi = "/mmsi";
  std::string lat = "/lat";
  std::string lon = "/lon";
  std::string name = "/name";
  std::string time;  // the position's time; empty: the time of the poll
  std::string cpa = "/cpa_nm";
  std::string tcpa = "/tcpa_min";
  std::string now;  // in the whole answer: the time CPA/TCPA hold for; empty: the poll's
};

// A TCP stream of JSON lines (as gpsd speaks): connect, send an opening command, read.
struct JsonLinesStream {
  std::string url;      // tcp://HOST:PORT
  std::string opening;  // sent once connected, e.g. ?WATCH={"enable":true,"json":true}\n
  std::string match_pointer;
  std::string match_value;  // only lines whose match_pointer holds this string
  std::vector<JsonValueMap> values;
};

struct Observe {
  std::vector<std::string> nmea;  // udp://HOST:PORT or tcp://HOST:PORT: what the twin emits
  std::vector<HttpPoll> http;
  std::optional<AlertPoll> alerts;
  std::optional<TargetPoll> targets;
  std::vector<JsonLinesStream> json_lines;
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

TwinAdapter load_adapter(const std::filesystem::path& path);

// Placeholder values of one twin instance.
struct AdapterVariables {
  std::map<std::string, std::uint16_t> ports;  // NAME -> port
  std::filesystem::path case_dir;
  std::filesystem::path reference_twin;
};

// The port names an adapter uses (${port.NAME}), sorted.
std::vector<std::string> port_names(const TwinAdapter& adapter);
// Fills the placeholders; throws generators::ConfigError on an unknown one.
std::string expand(const std::string& text, const AdapterVariables& variables);
// The adapter with every placeholder filled in.
TwinAdapter instantiate(const TwinAdapter& adapter, const AdapterVariables& variables);

}  // namespace twincert::harness
