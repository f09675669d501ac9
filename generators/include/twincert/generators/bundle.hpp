// Writes a stream bundle into one folder:
//   stream.nmea    every sentence on its own line behind a tag block: c: UNIX time (s),
//                  n: line count per source (1..999), r: milliseconds since the scenario start,
//                  s: the sensor's system function ID; CR LF line ends
//   truth.jsonl    header, sensor health spans, true own-ship state once a second
//                  (schema: docs/formats/truth.md)
//   manifest.json  scenario, seed, tool version, counts and the SHA-256 of each file
//   stream.pcap    (with `pcap`) each line as an IEC 61162-450 datagram ("UdPbC\0", tag block,
//                  sentence) from host 10.61.0.N (N: the sensor's place in the scenario) to its
//                  talker's transmission group, timestamped with the line's time
// Files are written under temporary names and renamed when complete, so an interrupted run
// never leaves a file that looks finished. Throws std::runtime_error on I/O failure.
// No shared state: calls may run on several threads at once if they write different folders (one
// file has one writer: its temporary name is fixed).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "twincert/generators/scenario.hpp"

namespace twincert::generators {

struct BundleOptions {
  std::filesystem::path out_dir;
  std::uint64_t seed = 1;
  double duration_s = 0.0;  // <= 0: the scenario's
  std::string tool;         // e.g. "twincert 0.1.0 (build abc)", recorded in the manifest
  bool pcap = false;        // also write stream.pcap
  std::function<void(double fraction)> progress;  // called about once per simulated minute
};

struct BundleSummary {
  std::uint64_t sentences = 0;
  std::uint64_t truth_records = 0;
  std::map<std::string, std::uint64_t> sentences_by_source;
  std::map<std::string, std::string> sha256;  // file name -> hex digest
};

BundleSummary write_bundle(const Scenario& scenario, const BundleOptions& options);

}  // namespace twincert::generators
