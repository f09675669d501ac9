#include "twincert/protocols/result.hpp"

#include <array>
#include <string>

namespace twincert {

namespace {

struct CodeInfo {
  std::string_view name;
  bool fatal;
};

constexpr std::array<CodeInfo, 34> kCodeInfo{{
    {"Empty", false},
    {"BadStartDelimiter", false},
    {"TooLong", true},
    {"IllegalCharacter", false},
    {"MissingChecksum", false},
    {"BadChecksumFormat", false},
    {"BadChecksum", false},
    {"MissingTerminator", false},
    {"TrailingCharacters", false},
    {"BadAddress", false},
    {"BadEscape", false},
    {"UnknownSentence", false},
    {"TooFewFields", false},
    {"TooManyFields", false},
    {"BadFieldFormat", false},
    {"FieldOutOfRange", false},
    {"RequiredFieldEmpty", false},
    {"BadUnit", false},
    {"Truncated", false},
    {"Garbage", true},
    {"BadTagBlock", false},
    {"BadTagChecksum", false},
    {"Bad450Header", true},
    {"DatagramTooLarge", true},
    {"MissingTagBlock", false},
    {"BadSourceId", false},
    {"BadLineCount", false},
    {"BadArmoring", false},
    {"BadFillBits", false},
    {"AisTooShort", false},
    {"UnsupportedAisType", false},
    {"FragmentOutOfOrder", false},
    {"FragmentMismatch", false},
    {"FragmentMissing", false},
}};

static_assert(kCodeInfo.size() == static_cast<std::size_t>(ErrorCode::kFragmentMissing) + 1,
              "every ErrorCode needs a name");

}  // namespace

std::string_view describe(ErrorCode code) noexcept {
  const auto index = static_cast<std::size_t>(code);
  return index < kCodeInfo.size() ? kCodeInfo[index].name : std::string_view{"Unknown"};
}

bool is_fatal(ErrorCode code) noexcept {
  const auto index = static_cast<std::size_t>(code);
  return index < kCodeInfo.size() && kCodeInfo[index].fatal;
}

std::string to_string(const ParseError& error, std::string_view input) {
  std::string out{describe(error.code)};
  out += " at ";
  out += std::to_string(error.offset);
  if (error.field != 0) {
    out += " field ";
    out += std::to_string(error.field);
  }
  if (error.detail != nullptr && *error.detail != '\0') {
    out += ": ";
    out += error.detail;
  }
  // Quote the offending field: from the offset to the next delimiter.
  if (error.field != 0 && error.offset < input.size()) {
    const std::string_view rest = input.substr(error.offset);
    const auto end = rest.find_first_of(",*\r\n\\");
    out += " \"";
    out += rest.substr(0, end == std::string_view::npos ? rest.size() : end);
    out += '"';
  }
  return out;
}

}  // namespace twincert
