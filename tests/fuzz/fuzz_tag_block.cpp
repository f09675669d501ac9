// Tag blocks: parse in both modes; a parsed block formatted and parsed again gives the same
// block (round trip), and the formatted text always parses in strict mode unless over-long.
#include <cstddef>
#include <cstdint>
#include <string>

#include "twincert/protocols/nmea0183/tag_block.hpp"

#include "fuzz_check.hpp"

using twincert::nmea0183::format_tag_block;
using twincert::nmea0183::kMaxTagBlockLength;
using twincert::nmea0183::Mode;
using twincert::nmea0183::parse_tag_block;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::size_t consumed = 0;
  const auto tag = parse_tag_block(input, Mode::kLenient, nullptr, &consumed);
  (void)parse_tag_block(input, Mode::kStrict, nullptr, nullptr);
  if (!tag) return 0;
  FUZZ_CHECK(consumed <= input.size());
  // Lenient parsing skips unknown keys; a block of only those has nothing to write back.
  if (*tag == twincert::nmea0183::TagBlock{}) return 0;
  const std::string text = format_tag_block(*tag);
  const auto again = parse_tag_block(text, Mode::kLenient, nullptr, nullptr);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == *tag);
  if (text.size() <= kMaxTagBlockLength + 2) {
    FUZZ_CHECK(parse_tag_block(text, Mode::kStrict, nullptr, nullptr).has_value());
  }
  return 0;
}
