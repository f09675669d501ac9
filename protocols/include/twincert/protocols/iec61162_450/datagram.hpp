// IEC 61162-450 sentence datagrams: "UdPbC\0", then one or more lines, each a tag block (with the
// mandatory source "s:" and line count "n:") followed by a sentence and CR LF.
//
//   +--------+----------------------------+--------------------+---- ... ----+
//   | UdPbC\0| \s:GP0001,n:123,c:...*hh\  | $GPGGA,...*hh\r\n  | next line   |
//   +--------+----------------------------+--------------------+---- ... ----+
//    6 bytes   tag block (<= 80 chars)      IEC 61162-1 sentence
//
// Sources: FKIE dissector, Signal K, gla-rad (docs/sources.md). The datagram size
// limit (1472 bytes: a 1500-byte MTU less IP and UDP headers) is UNVERIFIED against the standard
// text. parse_datagram() keeps views into the caller's buffer; values are thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/sentence.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"
#include "twincert/protocols/result.hpp"

namespace twincert::iec61162_450 {

using nmea0183::Mode;
using nmea0183::Violations;

inline constexpr std::string_view kSentenceToken{"UdPbC\0", 6};
// Tokens of binary-transfer datagrams (radar/ECDIS images to the VDR), recognised and refused.
inline constexpr std::string_view kBinaryFileToken{"RaUdP\0", 6};
inline constexpr std::string_view kRetransmittableFileToken{"RrUdP\0", 6};
inline constexpr std::size_t kMaxDatagramSize = 1472;
// Largest UDP payload at all; lenient parsing accepts up to this.
inline constexpr std::size_t kMaxUdpPayload = 65507;
inline constexpr std::int64_t kMaxLineCount = 999;

// True for a system function ID: two upper-case letters and four digits 0001..9999 ("GP0001").
bool is_system_function_id(std::string_view sfi) noexcept;

// Next 450 line count after `n` (1..999, wrapping to 1).
constexpr std::int64_t next_line_count(std::int64_t n) noexcept {
  return n >= kMaxLineCount ? 1 : n + 1;
}

struct Datagram {
  std::vector<nmea0183::TaggedSentence> lines;
  Violations violations;  // lenient mode: every rule the datagram broke
};

// Parses a whole datagram. Strict: header, size, tag block with s: and n: on every line, CR LF.
Result<Datagram> parse_datagram(std::string_view bytes, Mode mode) noexcept;

// One line to send: its sentence (with or without CR LF) and the tag block to put before it.
struct DatagramLine {
  nmea0183::TagBlock tag;
  std::string sentence;
};

// Header + each line's tag block and sentence, CR LF terminated.
std::string encode_datagram(std::span<const DatagramLine> lines);

}  // namespace twincert::iec61162_450
