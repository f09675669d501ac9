// Integers as decimal text appended to a string (private to the sentence and tag-block writers):
// formatted with to_chars on the stack, so nothing is allocated once the string has room.
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <string>

namespace twincert::nmea0183::detail {

// A '-' for negative values, then at least `width` digits (zero-padded) of the magnitude.
inline void append_integer(std::string& out, std::int64_t v, int width = 0) {
  const std::uint64_t magnitude =
      v < 0 ? static_cast<std::uint64_t>(-(v + 1)) + 1U : static_cast<std::uint64_t>(v);
  std::array<char, 24> buffer{};
  auto* const end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), magnitude).ptr;
  const auto size = static_cast<int>(end - buffer.data());
  if (v < 0) out += '-';
  if (size < width) out.append(static_cast<std::size_t>(width - size), '0');
  out.append(buffer.data(), static_cast<std::size_t>(size));
}

}  // namespace twincert::nmea0183::detail
