// The table of typed sentences twincert decodes, looked up by formatter ("GGA").
//
// Each entry validates a RawSentence as its type and can flatten it into named values for
// generic display, so tools (lint, decode) handle every sentence without including every
// sentence header. The table is static, sorted and immutable: safe from any thread.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"
#include "twincert/protocols/nmea0183/sentence.hpp"
#include "twincert/protocols/result.hpp"

namespace twincert::nmea0183 {

struct SentenceType {
  std::string_view formatter;
  std::string_view title;
  char start;  // '$' or '!'
  // Decodes the sentence as this type and discards the value.
  Result<void> (*validate)(const RawSentence&, Mode, Violations*);
  // Decodes the sentence as this type into named values.
  Result<std::vector<NamedValue>> (*describe)(const RawSentence&, Mode, Violations*);
};

// All typed sentences, sorted by formatter.
std::span<const SentenceType> sentence_types() noexcept;

// The type for a formatter, or nullptr (proprietary and untyped sentences).
const SentenceType* find_sentence_type(std::string_view formatter) noexcept;

}  // namespace twincert::nmea0183
