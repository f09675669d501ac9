// `twincert adapter check`: a dry run of a twin adapter (docs/formats/adapter.md). Starts the
// twin as the adapter says, sends it a short normal stream and observes it as a case would, then
// says per mapping what it yielded: how many answers it was looked for in, what it found there
// (or instead), the first values taken, the alert words seen and those outside the truth's
// vocabulary, the twin's sentences, liveness probes and process samples. So a vendor gets an
// adapter right in minutes instead of reading failing verdicts. No rule is judged.
// Plain values, thread-compatible; check_adapter runs one twin and blocks until it is stopped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "twincert/harness/adapter.hpp"

namespace twincert::harness {

struct AdapterCheckOptions {
  std::string scenario = "open-sea-transit";  // a built-in scenario or a scenario file
  double seconds = 60.0;                      // of stream, from the scenario's start
  std::uint64_t seed = 1;
  std::filesystem::path work_dir;  // the bundle, twin log and observations go under it
  std::filesystem::path reference_twin;
  std::string tool;  // recorded in the bundle's manifest
  bool allow_external = false;
};

// What one mapping (a JSON pointer of the adapter) or one observer yielded.
struct MappingCheck {
  std::string key;      // "observe.http[0].values.lat.value", "observe.liveness", ...
  std::string pointer;  // empty for observers without a pointer
  std::string expected;
  std::string affects;               // a value's name, "alerts", "targets", "liveness", ...
  std::size_t answers = 0;           // answers (list entries, probes, samples) it was looked for in
  std::size_t found = 0;             // ... that held what it expects
  std::size_t absent = 0;            // ... without such a key
  std::size_t nulls = 0;             // ... with null there (the twin did not know it yet)
  std::string other;                 // the first thing found there instead, described
  std::vector<double> first_values;  // value mappings: the first few values taken
  // Looked in entries of a list that was empty throughout (an alert or target pointer with no
  // alert or target to look in): neither yielded nor failed.
  bool untried = false;

  bool yielded() const { return found > 0; }
};

struct AdapterCheckReport {
  std::string adapter;  // its name
  std::filesystem::path case_dir;
  bool started = false;  // the twin became ready
  std::string error;     // why the check could not run to the end, empty when it did
  std::size_t frames_sent = 0;
  std::vector<MappingCheck> mappings;  // by adapter key
  // Alert words seen, "condition subject" -> raises; and the conditions twincert's truth has
  // no word for (the twin's own vocabulary: mapping them is the adapter's job).
  std::map<std::string, std::size_t> alert_words;
  std::vector<std::string> unknown_conditions;
  std::size_t sentences = 0;          // emitted by the twin (observe.nmea), informational
  std::size_t heartbeats = 0;         // of them HBT
  std::vector<std::string> problems;  // what went wrong while observing, with counts

  // Every mapping that was tried yielded something, and the twin ran.
  bool all_yielded() const;
};

// Runs the dry run. Throws ConfigError for a scenario or adapter that cannot be
// used (unknown scenario, a target beyond this host without allow_external).
AdapterCheckReport check_adapter(const TwinAdapter& adapter, const AdapterCheckOptions& options);

// The conditions of twincert's truth (docs/formats/truth.md, `expect`), sorted.
const std::vector<std::string>& truth_conditions();

}  // namespace twincert::harness
