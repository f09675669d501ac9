#include "twincert/protocols/nmea0183/sentence.hpp"

#include <algorithm>
#include <bit>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace twincert::nmea0183 {

void Violations::add(const ParseError& error) noexcept {
  codes_ |= std::uint64_t{1} << static_cast<unsigned>(error.code);
  if (count_ < kKept) kept_[count_++] = error;
}

void Violations::merge(const Violations& other) noexcept {
  for (const ParseError& e : other.first()) {
    if (count_ < kKept) kept_[count_++] = e;
  }
  codes_ |= other.codes_;
}

std::uint8_t checksum_of(std::string_view covered) noexcept {
  std::uint8_t x = 0;
  for (const char c : covered) x ^= static_cast<std::uint8_t>(c);
  return x;
}

std::array<char, 3> checksum_suffix(std::uint8_t checksum) noexcept {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  return {'*', kHex[checksum >> 4U], kHex[checksum & 0x0FU]};
}

std::string_view RawSentence::talker() const noexcept {
  const std::string_view a = address();
  if (proprietary()) return a.substr(0, 1);
  return a.substr(0, 2);
}

std::string_view RawSentence::formatter() const noexcept {
  const std::string_view a = address();
  return proprietary() ? a.substr(1) : a.substr(2);
}

std::string_view RawSentence::field(std::size_t index) const noexcept {
  if (index > count_) return {};
  const std::size_t begin = starts_[index];
  const std::size_t end = starts_[index + 1] - 1U;
  return text_.substr(begin, end - begin);
}

std::size_t RawSentence::field_offset(std::size_t index) const noexcept {
  return index > count_ ? text_.size() : starts_[index];
}

namespace {

// How the body loop treats each byte; a table keeps the common case to one load and compare.
enum class BodyByte : std::uint8_t { kOrdinary, kComma, kEnd, kCaret, kReserved, kNonPrintable };

constexpr std::array<BodyByte, 256> kBodyBytes = [] {
  std::array<BodyByte, 256> t{};
  for (std::size_t b = 0; b < t.size(); ++b) {
    const auto c = static_cast<char>(b);
    if (b < 0x20 || b > 0x7E) {
      t[b] = BodyByte::kNonPrintable;
    } else if (is_reserved(c)) {
      t[b] = BodyByte::kReserved;
    } else {
      t[b] = BodyByte::kOrdinary;
    }
  }
  t[','] = BodyByte::kComma;
  t['^'] = BodyByte::kCaret;
  t['*'] = BodyByte::kEnd;
  t['\r'] = BodyByte::kEnd;
  t['\n'] = BodyByte::kEnd;
  return t;
}();

#if defined(__SSE2__)
// Vector fast path of the body loop: consumes 16-byte blocks made only of ordinary characters
// and commas (the bulk of every sentence), XORs them and records the field starts. Stops at the
// first block holding anything else and leaves that block to the scalar loop, which judges it
// byte by byte.
void scan_ordinary_blocks(std::string_view input, std::size_t end, std::size_t& i, std::uint8_t& x,
                          std::size_t& count, std::uint8_t* starts) noexcept {
  const __m128i low = _mm_set1_epi8(0x20);
  const __m128i del = _mm_set1_epi8(0x7F);
  const __m128i comma = _mm_set1_epi8(',');
  // Named vectors rather than an array: std::array<__m128i> drops the type's attributes.
  const __m128i bang = _mm_set1_epi8('!');
  const __m128i dollar = _mm_set1_epi8('$');
  const __m128i star = _mm_set1_epi8('*');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i caret = _mm_set1_epi8('^');
  const __m128i tilde = _mm_set1_epi8('~');
  __m128i acc = _mm_setzero_si128();
  while (i + 16 <= end) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(input.data() + i));
    // Signed compare: bytes >= 0x80 are negative, so this catches them with the controls.
    __m128i special = _mm_or_si128(_mm_cmplt_epi8(v, low), _mm_cmpeq_epi8(v, del));
    special =
        _mm_or_si128(special, _mm_or_si128(_mm_cmpeq_epi8(v, bang), _mm_cmpeq_epi8(v, dollar)));
    special =
        _mm_or_si128(special, _mm_or_si128(_mm_cmpeq_epi8(v, star), _mm_cmpeq_epi8(v, backslash)));
    special =
        _mm_or_si128(special, _mm_or_si128(_mm_cmpeq_epi8(v, caret), _mm_cmpeq_epi8(v, tilde)));
    if (_mm_movemask_epi8(special) != 0) break;
    // Near the field limit the scalar loop takes over (it reports the exact offset).
    if (count + 16 > kMaxFields) break;
    auto commas = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)));
    while (commas != 0) {
      starts[++count] =
          static_cast<std::uint8_t>(i + static_cast<std::size_t>(std::countr_zero(commas)) + 1);
      commas &= commas - 1;
    }
    acc = _mm_xor_si128(acc, v);
    i += 16;
  }
  // Fold the 16 accumulated lanes into one byte.
  acc = _mm_xor_si128(acc, _mm_srli_si128(acc, 8));
  acc = _mm_xor_si128(acc, _mm_srli_si128(acc, 4));
  acc = _mm_xor_si128(acc, _mm_srli_si128(acc, 2));
  acc = _mm_xor_si128(acc, _mm_srli_si128(acc, 1));
  x ^= static_cast<std::uint8_t>(_mm_cvtsi128_si32(acc) & 0xFF);
}
#endif

constexpr bool is_upper_alnum(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

enum class AddressShape : std::uint8_t { kStandard, kOdd, kBad };

// Standard: talker (2) + formatter (3), or 'P' + maker (3) + anything. Odd: other upper-case
// alphanumeric addresses of 2..10 characters that real devices send ("GYOACC", "SNRSTAT").
AddressShape address_shape(std::string_view a) noexcept {
  if (a.size() < 2 || a.size() > 10) return AddressShape::kBad;
  for (const char c : a) {
    if (!is_upper_alnum(c)) return AddressShape::kBad;
  }
  const bool standard = a.front() == 'P' ? a.size() >= 4 : a.size() == 5;
  return standard ? AddressShape::kStandard : AddressShape::kOdd;
}

}  // namespace

Result<RawSentence> parse_sentence(std::string_view input, Mode mode) noexcept {
  Result<RawSentence> result{std::in_place};
  if (auto error = parse_sentence_into(input, mode, *result)) result = *error;
  return result;
}

namespace {

// A byte of the body that is neither ordinary, a comma nor the end: judged by the rules.
std::optional<ParseError> judge_body_byte(BodyByte kind, std::string_view input, std::size_t i,
                                          std::size_t field, Mode mode, Violations* v) noexcept {
  switch (kind) {
    case BodyByte::kNonPrintable:
      return make_error(ErrorCode::kIllegalCharacter, i, field, "non-printable byte");
    case BodyByte::kCaret:
      if (i + 2 < input.size() && hex_value(input[i + 1]) >= 0 && hex_value(input[i + 2]) >= 0) {
        return std::nullopt;
      }
      return breach(mode, v, make_error(ErrorCode::kBadEscape, i, field));
    default:
      return breach(mode, v,
                    make_error(ErrorCode::kIllegalCharacter, i, field, "reserved character"));
  }
}

// After the body (input[i] is '*', a terminator or the end): checksum, terminator, length.
// `x` is the XOR of the body; the transmitted checksum goes to `checksum`.
std::optional<ParseError> check_tail(std::string_view input, std::size_t i, std::uint8_t x,
                                     Mode mode, Violations* v,
                                     std::optional<std::uint8_t>& checksum) noexcept {
  const std::size_t n = input.size();
  if (i < n && input[i] == '*') {
    const int high = i + 1 < n ? hex_value(input[i + 1]) : -1;
    const int low = i + 2 < n ? hex_value(input[i + 2]) : -1;
    if (high < 0 || low < 0) return make_error(ErrorCode::kBadChecksumFormat, i);
    const auto transmitted = static_cast<std::uint8_t>((high << 4) | low);
    if (transmitted != x) return make_error(ErrorCode::kBadChecksum, i);
    if (input[i + 1] >= 'a' || input[i + 2] >= 'a') {
      if (auto e =
              breach(mode, v, make_error(ErrorCode::kBadChecksumFormat, i, 0, "lower-case hex"))) {
        return e;
      }
    }
    checksum = transmitted;
    i += 3;
  } else if (auto e = breach(mode, v, make_error(ErrorCode::kMissingChecksum, i))) {
    return e;
  }

  const std::string_view rest = input.substr(i);
  if (!rest.empty() && rest != "\r\n") {
    const bool bare_terminator = rest == "\n" || rest == "\r";
    const auto code =
        bare_terminator ? ErrorCode::kMissingTerminator : ErrorCode::kTrailingCharacters;
    if (auto e = breach(mode, v, make_error(code, i))) return e;
  }
  // The 82-character limit counts the start delimiter, checksum and CR LF.
  if (i + 2 > kMaxSentenceLength) {
    return breach(mode, v, make_error(ErrorCode::kTooLong, kMaxSentenceLength - 2));
  }
  return std::nullopt;
}

std::optional<ParseError> check_address(std::string_view address, Mode mode,
                                        Violations* v) noexcept {
  switch (address_shape(address)) {
    case AddressShape::kStandard:
      return std::nullopt;
    case AddressShape::kOdd:
      return breach(
          mode, v,
          make_error(ErrorCode::kBadAddress, 1, 0, "address is not talker + 3-letter formatter"));
    case AddressShape::kBad:
      break;
  }
  return make_error(ErrorCode::kBadAddress, 1);
}

}  // namespace

std::optional<ParseError> parse_sentence_into(std::string_view input, Mode mode,
                                              RawSentence& out) noexcept {
  RawSentence& s = out;
  s.violations_ = Violations{};
  s.checksum_.reset();
  s.count_ = 0;
  s.text_ = {};
  Violations* const v = &s.violations_;
  if (input.empty()) return make_error(ErrorCode::kEmpty, 0);
  if (input[0] != '$' && input[0] != '!') return make_error(ErrorCode::kBadStartDelimiter, 0);

  // Only the body up to the lenient limit is scanned; the rest is judged after the loop.
  const std::size_t scan_end = std::min(input.size(), kMaxLenientSentenceLength);
  std::uint8_t x = 0;
  std::size_t count = 0;
  s.starts_[0] = 1;
  std::size_t i = 1;
#if defined(__SSE2__)
  scan_ordinary_blocks(input, scan_end, i, x, count, s.starts_.data());
#endif
  for (; i < scan_end; ++i) {
    const char c = input[i];
    const BodyByte kind = kBodyBytes[static_cast<unsigned char>(c)];
    if (kind == BodyByte::kEnd) break;
    x ^= static_cast<std::uint8_t>(c);
    if (kind == BodyByte::kOrdinary) continue;
    if (kind == BodyByte::kComma) {
      if (count == kMaxFields) return make_error(ErrorCode::kTooManyFields, i, count);
      s.starts_[++count] = static_cast<std::uint8_t>(i + 1);
    } else if (auto e = judge_body_byte(kind, input, i, count, mode, v)) {
      return e;
    }
  }
  if (i == kMaxLenientSentenceLength) return make_error(ErrorCode::kTooLong, i);
  s.count_ = count;
  s.starts_[count + 1] = static_cast<std::uint8_t>(i + 1);
  s.text_ = input.substr(0, i);

  if (auto e = check_tail(input, i, x, mode, v, s.checksum_)) return e;
  return check_address(s.address(), mode, v);
}

SentenceWriter::SentenceWriter(std::string_view address, char start) : text_(&own_) {
  own_.reserve(kMaxSentenceLength);
  own_ += start;
  own_ += address;
}

SentenceWriter::SentenceWriter(std::string& out, std::string_view talker,
                               std::string_view formatter, char start)
    : text_(&out), begin_(out.size()) {
  out += start;
  out += talker;
  out += formatter;
}

SentenceWriter& SentenceWriter::field(std::string_view value) {
  *text_ += ',';
  *text_ += value;
  return *this;
}

void SentenceWriter::close() {
  const auto suffix = checksum_suffix(checksum_of(body().substr(1)));
  text_->append(suffix.data(), suffix.size());
  *text_ += "\r\n";
}

std::string SentenceWriter::finish() && {
  close();
  return std::move(own_);
}

Result<std::string> unescape_text(std::string_view field) noexcept {
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    const char c = field[i];
    if (c != '^') {
      out += c;
      continue;
    }
    const int high = i + 1 < field.size() ? hex_value(field[i + 1]) : -1;
    const int low = i + 2 < field.size() ? hex_value(field[i + 2]) : -1;
    if (high < 0 || low < 0) return make_error(ErrorCode::kBadEscape, i);
    const auto code_point = static_cast<unsigned>((high << 4) | low);
    // ISO 8859-1 code point to UTF-8.
    if (code_point < 0x80) {
      out += static_cast<char>(code_point);
    } else {
      out += static_cast<char>(0xC0U | (code_point >> 6U));
      out += static_cast<char>(0x80U | (code_point & 0x3FU));
    }
    i += 2;
  }
  return out;
}

std::string escape_text(std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  const auto put_escaped = [&](unsigned code_point) {
    out += '^';
    out += kHex[(code_point >> 4U) & 0x0FU];
    out += kHex[code_point & 0x0FU];
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    if (u < 0x80) {
      if (u < 0x20 || is_reserved(text[i])) {
        put_escaped(u);
      } else {
        out += text[i];
      }
      continue;
    }
    // Two-byte UTF-8 for U+0080..U+00FF (Latin-1); any other byte is escaped as it is.
    const bool latin1 = (u == 0xC2 || u == 0xC3) && i + 1 < text.size() &&
                        (static_cast<unsigned char>(text[i + 1]) & 0xC0U) == 0x80U;
    if (latin1) {
      put_escaped(((u & 0x03U) << 6U) | (static_cast<unsigned char>(text[i + 1]) & 0x3FU));
      ++i;
    } else {
      put_escaped(u);
    }
  }
  return out;
}

}  // namespace twincert::nmea0183
