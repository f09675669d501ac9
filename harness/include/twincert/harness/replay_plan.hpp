// What a replay sends and when: the frames of a stream bundle (stream.nmea, with the network
// faults its truth.jsonl annotates) or of a capture file, each with its time from the start.
//
// Time comes from the tag block: r: (milliseconds since the scenario start, as twincert writes
// it), else c: (UNIX seconds) relative to the first line; lines with neither are spaced 100 ms
// apart. Network faults (loss, repeat, reorder, delay, burst, flood, bad_header, oversize) are
// applied to the plan deterministically from the bundle's seed, so a replay is reproducible.
// Values are thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/harness/target.hpp"

namespace twincert::harness {

enum class Damage : std::uint8_t { kNone, kBadHeader, kOversize };

struct Frame {
  double at_s = 0.0;   // when to send, from the start of the replay
  std::string line;    // as in the stream: optional tag block + sentence, no CR LF
  std::string source;  // the tag block's s:, or talker + "0001"
  Damage damage = Damage::kNone;
};

// A frame line's sentence without its tag block (empty when the tag block never closes).
std::string_view sentence_of(std::string_view line);

struct NetworkFault {
  std::string kind;
  std::string source;
  double from_s = 0.0;
  double to_s = 0.0;
  std::map<std::string, double, std::less<>> params;
};

struct ReplayPlan {
  std::vector<Frame> frames;  // in sending order
  std::vector<NetworkFault> faults;
  std::uint64_t seed = 1;
  std::string origin;  // the bundle folder or file read
};

// A bundle folder (stream.nmea [+ truth.jsonl, manifest.json]) or a capture file ('-' stdin is not
// supported: a replay needs to know its length). Throws ConfigError when unreadable.
ReplayPlan load_plan(const std::filesystem::path& path);
// The frames of capture text (one line per sentence).
std::vector<Frame> frames_of(std::string_view text);
// Applies network faults in place; the result depends only on the frames, faults and seed.
void apply_network_faults(std::vector<Frame>& frames, const std::vector<NetworkFault>& faults,
                          std::uint64_t seed);
// How many frames hold no IEC 61162-1 sentence ('$' or '!' after an optional tag block): lines
// of a text file that is not a capture, which a replay would send as they are.
std::size_t frames_without_sentence(const std::vector<Frame>& frames);
// Keeps only frames whose sentence formatter (e.g. "GGA", "VDM") is listed.
void filter_formatters(std::vector<Frame>& frames, const std::vector<std::string>& formatters);

// The bytes of a frame on the wire in `format`; `line_counts` numbers 450 lines per source for
// lines that came without a tag block.
std::string encode_frame(const Frame& frame, WireFormat format,
                         std::map<std::string, std::int64_t>& line_counts);

}  // namespace twincert::harness
