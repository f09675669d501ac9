// AIS 6-bit armouring (ITU-R M.1371 payloads inside !AIVDM/!AIVDO) and a bit buffer.
//
// Each payload character carries 6 bits, most significant first: v = c - 48, minus 8 more when
// above 40, so the alphabet is '0'..'W' and '`'..'w'. The last character's `fill_bits` low bits
// are padding (0..5). Sources: gpsd AIVDM, gla-rad (docs/sources.md). BitBuffer owns its
// bytes; it is thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "twincert/protocols/result.hpp"

namespace twincert::ais {

// Largest payload accepted: nine fragments of a full sentence each.
inline constexpr std::size_t kMaxPayloadChars = std::size_t{9} * 82;

class BitBuffer {
 public:
  std::size_t size() const noexcept { return size_; }
  // Unsigned value of `width` (<= 64) bits at `position`, MSB first; bits past the end read 0.
  std::uint64_t get(std::size_t position, unsigned width) const noexcept;
  // Appends the low `width` bits of value.
  void put(std::uint64_t value, unsigned width);
  // Room for `bits` bits without reallocating.
  void reserve(std::size_t bits) { bytes_.reserve((bits + 7) / 8); }

 private:
  friend Result<BitBuffer> dearmor(std::string_view payload, int fill_bits) noexcept;

  std::vector<std::uint8_t> bytes_;
  std::size_t size_ = 0;
};

// Payload characters to bits. Errors: kBadArmoring (offset of the character), kBadFillBits.
Result<BitBuffer> dearmor(std::string_view payload, int fill_bits) noexcept;

// Bits to payload characters and the number of fill bits used.
std::pair<std::string, int> armor(const BitBuffer& bits);

// AIS text characters (a different 6-bit table: 0..31 -> '@'..'_', 32..63 -> ' '..'?').
char sixbit_to_char(unsigned value) noexcept;
// Value of an AIS text character, or 0 ('@') for characters outside the table.
unsigned char_to_sixbit(char c) noexcept;

}  // namespace twincert::ais
