#include "twincert/protocols/nmea0183/fields.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string>

#include "integer_text.hpp"

namespace twincert::nmea0183 {

namespace {

constexpr std::array<std::int64_t, 19> kPow10 = [] {
  std::array<std::int64_t, 19> p{};
  p[0] = 1;
  for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}();

constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// Parses [-|+]digits[.digits] (or .digits) exactly; at most 18 significant digits. An explicit
// '+' is not IEC 61162-1 but real devices send it; `plus` tells the caller.
std::optional<Decimal> parse_decimal(std::string_view text, bool* plus = nullptr) noexcept {
  Decimal d;
  std::size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  const bool explicit_plus = !text.empty() && text[0] == '+';
  if (negative || explicit_plus) ++i;
  if (plus != nullptr) *plus = explicit_plus;
  bool any_digit = false;
  bool in_fraction = false;
  int digits = 0;
  std::int64_t units = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !in_fraction) {
      in_fraction = true;
      continue;
    }
    if (!is_digit(c)) return std::nullopt;
    any_digit = true;
    if (units != 0 || c != '0') ++digits;
    if (digits > 18) return std::nullopt;
    units = units * 10 + (c - '0');
    if (in_fraction) ++d.decimals;
  }
  if (!any_digit || d.decimals > 18) return std::nullopt;
  d.units = negative ? -units : units;
  return d;
}

// Appends a Decimal with at least `min_integer_digits` digits before the point.
void append_decimal(std::string& out, const Decimal& d, int min_integer_digits = 1) {
  const bool negative = d.units < 0;
  const std::uint64_t magnitude = negative ? static_cast<std::uint64_t>(-(d.units + 1)) + 1U
                                           : static_cast<std::uint64_t>(d.units);
  std::array<char, 24> buffer{};
  auto* const digits_end =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), magnitude).ptr;
  const std::string_view digits(buffer.data(),
                                static_cast<std::size_t>(digits_end - buffer.data()));
  const std::size_t need = static_cast<std::size_t>(d.decimals) +
                           static_cast<std::size_t>(std::max(min_integer_digits, 1));
  // The digits are `zeros` leading zeros and then `digits`; the point goes after `point` of them.
  const std::size_t zeros = need > digits.size() ? need - digits.size() : 0;
  const std::size_t point = zeros + digits.size() - d.decimals;
  if (negative) out += '-';
  if (d.decimals == 0) {
    out.append(zeros, '0');
    out += digits;
  } else if (zeros >= point) {
    out.append(point, '0');
    out += '.';
    out.append(zeros - point, '0');
    out += digits;
  } else {
    out.append(zeros, '0');
    out += digits.substr(0, point - zeros);
    out += '.';
    out += digits.substr(point - zeros);
  }
}

std::string format_decimal(const Decimal& d, int min_integer_digits = 1) {
  std::string out;
  append_decimal(out, d, min_integer_digits);
  return out;
}

bool parse_two_digits(std::string_view text, std::uint8_t& out) noexcept {
  if (text.size() != 2 || !is_digit(text[0]) || !is_digit(text[1])) return false;
  out = static_cast<std::uint8_t>((text[0] - '0') * 10 + (text[1] - '0'));
  return true;
}

void append_two_digits(std::string& out, unsigned v) {
  out += static_cast<char>('0' + v / 10 % 10);
  out += static_cast<char>('0' + v % 10);
}

std::string two_digits(unsigned v) {
  std::string out;
  append_two_digits(out, v);
  return out;
}

GeoAngle make_angle(double degrees, int minute_decimals, char positive, char negative) noexcept {
  GeoAngle a;
  a.hemisphere = degrees < 0 ? negative : positive;
  const double magnitude = std::fabs(degrees);
  const int d = std::clamp(minute_decimals, 0, 9);
  const auto scale = kPow10[static_cast<std::size_t>(d)];
  auto whole = static_cast<std::int64_t>(std::floor(magnitude));
  auto minutes =
      std::llround((magnitude - static_cast<double>(whole)) * 60.0 * static_cast<double>(scale));
  if (minutes >= 60 * scale) {  // rounding reached a full degree
    minutes -= 60 * scale;
    ++whole;
  }
  a.degrees_minutes = Decimal{whole * 100 * scale + minutes, static_cast<std::uint8_t>(d)};
  return a;
}

}  // namespace

double Decimal::value() const noexcept {
  return static_cast<double>(units) / static_cast<double>(kPow10[decimals < 19 ? decimals : 18]);
}

Decimal Decimal::from_double(double v, int decimals) noexcept {
  const int d = std::clamp(decimals, 0, 9);
  return Decimal{std::llround(v * static_cast<double>(kPow10[static_cast<std::size_t>(d)])),
                 static_cast<std::uint8_t>(d)};
}

double UtcTime::seconds_of_day() const noexcept {
  return hour * 3600.0 + minute * 60.0 + second.value();
}

double GeoAngle::degrees() const noexcept {
  const double v = degrees_minutes.value();
  const double whole = std::floor(v / 100.0);
  const double result = whole + (v - whole * 100.0) / 60.0;
  return (hemisphere == 'S' || hemisphere == 'W') ? -result : result;
}

GeoAngle GeoAngle::latitude(double degrees, int minute_decimals) noexcept {
  return make_angle(degrees, minute_decimals, 'N', 'S');
}

GeoAngle GeoAngle::longitude(double degrees, int minute_decimals) noexcept {
  return make_angle(degrees, minute_decimals, 'E', 'W');
}

// ---------------------------------------------------------------------------------- FieldReader

std::optional<std::string_view> FieldReader::next() noexcept {
  ++index_;
  if (error_) return std::nullopt;
  return sentence_.field(index_);  // past the end: empty (older editions omit trailing fields)
}

void FieldReader::fail(ErrorCode code, const char* detail) noexcept {
  if (!error_) error_ = make_error(code, sentence_.field_offset(index_), index_, detail);
}

void FieldReader::unreadable(const char* name) noexcept {
  breach_at(ErrorCode::kBadFieldFormat, name);
}

void FieldReader::breach_at(ErrorCode code, const char* detail) noexcept {
  if (error_) return;
  if (auto e = breach(mode_, violations_,
                      make_error(code, sentence_.field_offset(index_), index_, detail))) {
    error_ = e;
  }
}

void FieldReader::decimal(std::optional<Decimal>& out, const char* name, double min, double max) {
  const auto f = next();
  if (!f || f->empty()) return;
  bool plus = false;
  const auto d = parse_decimal(*f, &plus);
  if (!d) return unreadable(name);
  if (plus) breach_at(ErrorCode::kBadFieldFormat, "explicit '+' sign");
  const double v = d->value();
  if (v < min || v > max) breach_at(ErrorCode::kFieldOutOfRange, name);
  out = d;
}

void FieldReader::integer(std::optional<std::int32_t>& out, const char* name, std::int32_t min,
                          std::int32_t max, int width) {
  const auto f = next();
  if (!f || f->empty()) return;
  std::string_view digits = *f;
  if (digits.size() > 1 && digits[0] == '+') {
    breach_at(ErrorCode::kBadFieldFormat, "explicit '+' sign");
    digits.remove_prefix(1);
  }
  std::int32_t v = 0;
  const char* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, v);
  if (ec != std::errc{} || ptr != end) return unreadable(name);
  if (width > 0 && static_cast<int>(f->size()) != width) {
    breach_at(ErrorCode::kBadFieldFormat, name);
  }
  if (v < min || v > max) breach_at(ErrorCode::kFieldOutOfRange, name);
  out = v;
}

void FieldReader::letter(std::optional<char>& out, const char* name, std::string_view allowed) {
  const auto f = next();
  if (!f || f->empty()) return;
  if (f->size() != 1) return unreadable(name);
  if (allowed.find((*f)[0]) == std::string_view::npos) breach_at(ErrorCode::kFieldOutOfRange, name);
  out = (*f)[0];
}

void FieldReader::unit(char expected, const char* name) {
  const auto f = next();
  if (!f || f->empty()) return;
  if (f->size() != 1 || (*f)[0] != expected) fail(ErrorCode::kBadUnit, name);
}

void FieldReader::text(std::optional<std::string>& out, const char* name) {
  const auto f = next();
  if (!f || f->empty()) return;
  auto decoded = unescape_text(*f);
  if (!decoded) {
    breach_at(ErrorCode::kBadEscape, name);
    out.emplace(*f);  // keep the raw text
    return;
  }
  out = std::move(*decoded);
}

void FieldReader::word(std::optional<std::string>& out, const char* name, std::size_t max_length) {
  const auto f = next();
  if (!f || f->empty()) return;
  if (f->size() > max_length) breach_at(ErrorCode::kFieldOutOfRange, name);
  out.emplace(*f);
}

void FieldReader::time(std::optional<UtcTime>& out, const char* name) {
  const auto f = next();
  if (!f || f->empty()) return;
  UtcTime t;
  const std::string_view s = *f;
  const auto second = s.size() >= 6 ? parse_decimal(s.substr(4)) : std::nullopt;
  if (!parse_two_digits(s.substr(0, 2), t.hour) || !parse_two_digits(s.substr(2, 2), t.minute) ||
      !second || second->units < 0 || (s.size() > 6 && s[6] != '.')) {
    return unreadable(name);
  }
  t.second = *second;
  if (t.hour > 23 || t.minute > 59 || t.second.value() >= 61.0) {
    breach_at(ErrorCode::kFieldOutOfRange, name);
  }
  out = t;
}

void FieldReader::date(std::optional<DayMonthYear>& out, const char* name) {
  const auto f = next();
  if (!f || f->empty()) return;
  DayMonthYear d;
  if (f->size() != 6 || !parse_two_digits(f->substr(0, 2), d.day) ||
      !parse_two_digits(f->substr(2, 2), d.month) || !parse_two_digits(f->substr(4, 2), d.year)) {
    return unreadable(name);
  }
  if (d.day < 1 || d.day > 31 || d.month < 1 || d.month > 12) {
    breach_at(ErrorCode::kFieldOutOfRange, name);
  }
  out = d;
}

void FieldReader::angle(std::optional<GeoAngle>& out, const char* name, int degree_digits,
                        double max, std::string_view hemispheres) {
  const auto value = next();
  const std::size_t value_index = index_;
  const auto hemisphere = next();
  if (!value || !hemisphere) return;
  // Problems are reported at the value's field, which is where a reader looks first.
  const auto at_value = [&](auto&& report) {
    const std::size_t saved = std::exchange(index_, value_index);
    report();
    index_ = saved;
  };
  if (value->empty()) {
    if (!hemisphere->empty()) {
      at_value([&] { breach_at(ErrorCode::kRequiredFieldEmpty, name); });
    }
    return;
  }
  const auto d = parse_decimal(*value);
  if (!d || d->units < 0) return at_value([&] { unreadable(name); });
  const auto dot = value->find('.');
  const std::size_t integer_digits = dot == std::string_view::npos ? value->size() : dot;
  if (integer_digits != static_cast<std::size_t>(degree_digits) + 2) {
    at_value([&] { breach_at(ErrorCode::kBadFieldFormat, name); });
  }
  const double v = d->value();
  if (v - std::floor(v / 100.0) * 100.0 >= 60.0) {
    at_value([&] {
      breach_at(ErrorCode::kFieldOutOfRange,
                degree_digits == 2 ? "latitude minutes" : "longitude minutes");
    });
  }
  if (hemisphere->empty()) return fail(ErrorCode::kRequiredFieldEmpty, name);
  if (hemisphere->size() != 1 || hemispheres.find((*hemisphere)[0]) == std::string_view::npos) {
    return fail(ErrorCode::kFieldOutOfRange, name);
  }
  GeoAngle a;
  a.degrees_minutes = *d;
  a.hemisphere = (*hemisphere)[0];
  if (std::fabs(a.degrees()) > max) {
    at_value([&] { breach_at(ErrorCode::kFieldOutOfRange, name); });
  }
  if (!error_) out = a;
}

void FieldReader::latitude(std::optional<GeoAngle>& out, const char* name) {
  angle(out, name, 2, 90.0, "NS");
}

void FieldReader::longitude(std::optional<GeoAngle>& out, const char* name) {
  angle(out, name, 3, 180.0, "EW");
}

Result<void> FieldReader::finish() noexcept {
  if (error_) return *error_;
  if (sentence_.field_count() > index_) {
    const std::size_t extra = index_ + 1;
    if (auto e =
            breach(mode_, violations_,
                   make_error(ErrorCode::kTooManyFields, sentence_.field_offset(extra), extra))) {
      return *e;
    }
  }
  return {};
}

// ---------------------------------------------------------------------------------- FieldWriter

FieldWriter::FieldWriter(std::string& out, std::string_view talker, std::string_view formatter,
                         char start)
    : writer_(out, talker, formatter, start) {}

void FieldWriter::decimal(const std::optional<Decimal>& v, const char* /*name*/, double /*min*/,
                          double /*max*/) {
  std::string& out = writer_.open_field();
  if (v) append_decimal(out, *v);
}

void FieldWriter::integer(const std::optional<std::int32_t>& v, const char* /*name*/,
                          std::int32_t /*min*/, std::int32_t /*max*/, int width) {
  std::string& out = writer_.open_field();
  if (v) detail::append_integer(out, *v, width);
}

void FieldWriter::letter(const std::optional<char>& v, const char* /*name*/,
                         std::string_view /*allowed*/) {
  std::string& out = writer_.open_field();
  if (v) out += *v;
}

void FieldWriter::unit(char expected, const char* /*name*/) {
  writer_.open_field() += expected;
}

void FieldWriter::text(const std::optional<std::string>& v, const char* /*name*/) {
  writer_.field(v ? escape_text(*v) : std::string{});
}

void FieldWriter::word(const std::optional<std::string>& v, const char* /*name*/,
                       std::size_t /*max_length*/) {
  writer_.field(v ? std::string_view(*v) : std::string_view{});
}

void FieldWriter::time(const std::optional<UtcTime>& v, const char* /*name*/) {
  std::string& out = writer_.open_field();
  if (!v) return;
  append_two_digits(out, v->hour);
  append_two_digits(out, v->minute);
  append_decimal(out, v->second, 2);
}

void FieldWriter::date(const std::optional<DayMonthYear>& v, const char* /*name*/) {
  std::string& out = writer_.open_field();
  if (!v) return;
  append_two_digits(out, v->day);
  append_two_digits(out, v->month);
  append_two_digits(out, v->year);
}

void FieldWriter::latitude(const std::optional<GeoAngle>& v, const char* /*name*/) {
  std::string& out = writer_.open_field();
  if (v) append_decimal(out, v->degrees_minutes, 4);
  std::string& hemisphere = writer_.open_field();
  if (v) hemisphere += v->hemisphere;
}

void FieldWriter::longitude(const std::optional<GeoAngle>& v, const char* /*name*/) {
  std::string& out = writer_.open_field();
  if (v) append_decimal(out, v->degrees_minutes, 5);
  std::string& hemisphere = writer_.open_field();
  if (v) hemisphere += v->hemisphere;
}

// ------------------------------------------------------------------------------- FieldCollector

void FieldCollector::put(const char* name, decltype(NamedValue::value) value) {
  values_.push_back(NamedValue{prefix_ + name, std::move(value)});
}

void FieldCollector::decimal(const std::optional<Decimal>& v, const char* name, double /*min*/,
                             double /*max*/) {
  put(name, v ? decltype(NamedValue::value){v->value()} : std::monostate{});
}

void FieldCollector::integer(const std::optional<std::int32_t>& v, const char* name,
                             std::int32_t /*min*/, std::int32_t /*max*/, int /*width*/) {
  put(name, v ? decltype(NamedValue::value){std::int64_t{*v}} : std::monostate{});
}

void FieldCollector::letter(const std::optional<char>& v, const char* name,
                            std::string_view /*allowed*/) {
  put(name, v ? decltype(NamedValue::value){std::string(1, *v)} : std::monostate{});
}

void FieldCollector::text(const std::optional<std::string>& v, const char* name) {
  put(name, v ? decltype(NamedValue::value){*v} : std::monostate{});
}

void FieldCollector::word(const std::optional<std::string>& v, const char* name,
                          std::size_t /*max_length*/) {
  text(v, name);
}

void FieldCollector::time(const std::optional<UtcTime>& v, const char* name) {
  if (!v) return put(name, std::monostate{});
  put(name, two_digits(v->hour) + ':' + two_digits(v->minute) + ':' + format_decimal(v->second, 2));
}

void FieldCollector::date(const std::optional<DayMonthYear>& v, const char* name) {
  if (!v) return put(name, std::monostate{});
  put(name, "20" + two_digits(v->year) + '-' + two_digits(v->month) + '-' + two_digits(v->day));
}

void FieldCollector::latitude(const std::optional<GeoAngle>& v, const char* name) {
  put(name, v ? decltype(NamedValue::value){v->degrees()} : std::monostate{});
}

void FieldCollector::longitude(const std::optional<GeoAngle>& v, const char* name) {
  latitude(v, name);
}

}  // namespace twincert::nmea0183
