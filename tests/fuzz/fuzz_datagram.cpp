// IEC 61162-450 datagrams: parse in both modes; strict acceptance implies lenient acceptance;
// re-encoding the parsed lines gives a datagram that parses to the same number of lines.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "twincert/protocols/iec61162_450/datagram.hpp"

#include "fuzz_check.hpp"

using twincert::iec61162_450::DatagramLine;
using twincert::iec61162_450::encode_datagram;
using twincert::iec61162_450::parse_datagram;
using twincert::nmea0183::Mode;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto strict = parse_datagram(input, Mode::kStrict);
  const auto lenient = parse_datagram(input, Mode::kLenient);
  if (strict) FUZZ_CHECK(lenient.has_value());
  if (!strict) return 0;
  std::vector<DatagramLine> lines;
  for (const auto& line : strict->lines) {
    FUZZ_CHECK(line.tag.has_value());
    std::string sentence(line.sentence.body());
    if (const auto c = line.sentence.checksum()) {
      const auto suffix = twincert::nmea0183::checksum_suffix(*c);
      sentence.append(suffix.data(), suffix.size());
    }
    lines.push_back(DatagramLine{*line.tag, sentence});
  }
  const auto again = parse_datagram(encode_datagram(lines), Mode::kLenient);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->lines.size() == strict->lines.size());
  return 0;
}
