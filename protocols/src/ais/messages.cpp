#include "twincert/protocols/ais/messages.hpp"

#include <cmath>
#include <string>
#include <type_traits>
#include <utility>

namespace twincert::ais {

namespace {

class BitReader {
 public:
  explicit BitReader(const BitBuffer& bits) noexcept : bits_(bits) {}
  void u(std::uint32_t& out, unsigned width) {
    out = static_cast<std::uint32_t>(bits_.get(pos_, width));
    pos_ += width;
  }
  void s(std::int32_t& out, unsigned width) {
    const std::uint64_t raw = bits_.get(pos_, width);
    pos_ += width;
    const std::uint64_t sign = std::uint64_t{1} << (width - 1U);
    out = static_cast<std::int32_t>(static_cast<std::int64_t>(raw ^ sign) -
                                    static_cast<std::int64_t>(sign));
  }
  void b(bool& out) {
    out = bits_.get(pos_, 1) != 0;
    ++pos_;
  }
  void text(std::string& out, std::size_t chars) {
    out.clear();
    for (std::size_t i = 0; i < chars; ++i) {
      out += sixbit_to_char(static_cast<unsigned>(bits_.get(pos_, 6)));
      pos_ += 6;
    }
    // '@' pads; trailing spaces are padding too in practice.
    while (!out.empty() && (out.back() == '@' || out.back() == ' ')) out.pop_back();
  }

 private:
  const BitBuffer& bits_;
  std::size_t pos_ = 0;
};

class BitWriter {
 public:
  void u(std::uint32_t v, unsigned width) { bits_.put(v, width); }
  void s(std::int32_t v, unsigned width) {
    bits_.put(static_cast<std::uint64_t>(static_cast<std::int64_t>(v)) &
                  ((std::uint64_t{1} << width) - 1U),
              width);
  }
  void b(bool v) { bits_.put(v ? 1U : 0U, 1); }
  void text(const std::string& v, std::size_t chars) {
    for (std::size_t i = 0; i < chars; ++i) bits_.put(i < v.size() ? char_to_sixbit(v[i]) : 0U, 6);
  }
  BitBuffer take() && { return std::move(bits_); }

 private:
  BitBuffer bits_;
};

template <class T>
Result<Message> read_as(const BitBuffer& bits) {
  if (bits.size() < T::kMinBits) {
    return make_error(ErrorCode::kAisTooShort, bits.size(), 0, "fewer bits than the type needs");
  }
  T out;
  BitReader reader(bits);
  T::bits(out, reader);
  return Message{std::move(out)};
}

}  // namespace

Result<Message> decode_message(const BitBuffer& bits) noexcept {
  if (bits.size() < 6) return make_error(ErrorCode::kAisTooShort, 0, 0, "no message type");
  const auto type = bits.get(0, 6);
  switch (type) {
    case 1:
    case 2:
    case 3:
      return read_as<PositionReportClassA>(bits);
    case 5:
      return read_as<StaticAndVoyageData>(bits);
    case 18:
      return read_as<ClassBPositionReport>(bits);
    case 19:
      return read_as<ExtendedClassBPositionReport>(bits);
    case 24:
      if (bits.size() < 40) return make_error(ErrorCode::kAisTooShort, bits.size(), 0, "type 24");
      switch (bits.get(38, 2)) {
        case 0:
          return read_as<StaticDataReportA>(bits);
        case 1:
          return read_as<StaticDataReportB>(bits);
        default:
          return make_error(ErrorCode::kBadFieldFormat, 38, 0, "type 24 part number 2 or 3");
      }
    default:
      return make_error(ErrorCode::kUnsupportedAisType, 0);
  }
}

Result<Message> decode_payload(std::string_view payload, int fill_bits) noexcept {
  auto bits = dearmor(payload, fill_bits);
  if (!bits) return bits.error();
  return decode_message(*bits);
}

BitBuffer encode_message(const Message& message) {
  return std::visit(
      [](const auto& m) {
        BitWriter writer;
        std::remove_cvref_t<decltype(m)>::bits(m, writer);
        return std::move(writer).take();
      },
      message);
}

std::uint32_t mmsi_of(const Message& message) {
  return std::visit([](const auto& m) { return m.mmsi; }, message);
}

std::optional<double> longitude_deg(std::int32_t raw) noexcept {
  if (raw == kLongitudeNotAvailable || raw > kLongitudeNotAvailable ||
      raw < -kLongitudeNotAvailable) {
    return std::nullopt;
  }
  return raw / 600000.0;
}

std::optional<double> latitude_deg(std::int32_t raw) noexcept {
  if (raw >= kLatitudeNotAvailable || raw <= -kLatitudeNotAvailable) return std::nullopt;
  return raw / 600000.0;
}

std::optional<double> sog_kn(std::uint32_t raw) noexcept {
  if (raw >= kSogNotAvailable) return std::nullopt;
  return raw / 10.0;
}

std::optional<double> cog_deg(std::uint32_t raw) noexcept {
  if (raw >= kCogNotAvailable) return std::nullopt;
  return raw / 10.0;
}

std::optional<std::uint32_t> heading_deg(std::uint32_t raw) noexcept {
  if (raw > 359) return std::nullopt;
  return raw;
}

std::int32_t to_position_raw(double degrees) noexcept {
  return static_cast<std::int32_t>(std::lround(degrees * 600000.0));
}

}  // namespace twincert::ais
