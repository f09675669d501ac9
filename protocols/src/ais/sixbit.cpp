#include "twincert/protocols/ais/sixbit.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace twincert::ais {

std::uint64_t BitBuffer::get(std::size_t position, unsigned width) const noexcept {
  if (width == 0) return 0;
  const std::size_t byte = position / 8;
  const auto offset = static_cast<unsigned>(position % 8);
  // Fast path: the field lies in one big-endian 64-bit window of whole bytes (every AIS field
  // but a few near the end of a message); the loop below is the general case.
  if (offset + width <= 64 && byte + 8 <= bytes_.size()) {
    std::uint64_t window = 0;
    std::memcpy(&window, bytes_.data() + byte, sizeof window);
    if constexpr (std::endian::native == std::endian::little) window = __builtin_bswap64(window);
    return (window << offset) >> (64U - width);
  }
  // Byte pieces at a time. Bits past size_ read 0: put() never sets the unused bits of the last
  // byte, and bytes past the end are taken as 0.
  std::uint64_t value = 0;
  while (width > 0) {
    const std::size_t at = position / 8;
    const auto used = static_cast<unsigned>(position % 8);
    const unsigned take = std::min(width, 8U - used);
    const unsigned b = at < bytes_.size() ? bytes_[at] : 0U;
    value = (value << take) | ((b >> (8U - used - take)) & ((1U << take) - 1U));
    position += take;
    width -= take;
  }
  return value;
}

void BitBuffer::put(std::uint64_t value, unsigned width) {
  // Byte pieces at a time, as get() reads them (bit by bit was a measurable share of AIS
  // encoding and decoding).
  while (width > 0) {
    const auto used = static_cast<unsigned>(size_ % 8);
    if (used == 0) bytes_.push_back(0);
    const unsigned take = std::min(width, 8U - used);
    const auto piece = static_cast<unsigned>((value >> (width - take)) & ((1U << take) - 1U));
    bytes_.back() = static_cast<std::uint8_t>(bytes_.back() | (piece << (8U - used - take)));
    size_ += take;
    width -= take;
  }
}

Result<BitBuffer> dearmor(std::string_view payload, int fill_bits) noexcept {
  if (fill_bits < 0 || fill_bits > 5) return make_error(ErrorCode::kBadFillBits, 0);
  if (payload.size() > kMaxPayloadChars) return make_error(ErrorCode::kTooLong, kMaxPayloadChars);
  if (payload.empty() && fill_bits != 0) return make_error(ErrorCode::kBadFillBits, 0);
  // Six bits a character straight into bytes through a small accumulator (put() per character
  // was a measurable share of lint's time on AIS-heavy captures).
  BitBuffer bits;
  bits.bytes_.reserve((payload.size() * 6 + 7) / 8);
  std::uint32_t pending = 0;  // bits not yet written, at the low end
  unsigned held = 0;          // how many
  for (std::size_t i = 0; i < payload.size(); ++i) {
    const auto c = static_cast<unsigned char>(payload[i]);
    if (c < '0' || c > 'w' || (c > 'W' && c < '`')) {
      return make_error(ErrorCode::kBadArmoring, i, 0, "not a 6-bit payload character");
    }
    unsigned v = c - 48U;
    if (v > 40) v -= 8;
    pending = (pending << 6U) | v;
    held += 6;
    if (held >= 8) {
      held -= 8;
      bits.bytes_.push_back(static_cast<std::uint8_t>(pending >> held));
      pending &= (1U << held) - 1U;
    }
  }
  if (held > 0) bits.bytes_.push_back(static_cast<std::uint8_t>(pending << (8U - held)));
  bits.size_ = payload.size() * 6 - static_cast<std::size_t>(fill_bits);
  // The fill bits are not part of the message: clear them, as put() leaves unused bits clear.
  bits.bytes_.resize((bits.size_ + 7) / 8);
  if (const auto used = static_cast<unsigned>(bits.size_ % 8); used != 0) {
    bits.bytes_.back() = static_cast<std::uint8_t>(bits.bytes_.back() & (0xFFU << (8U - used)));
  }
  return bits;
}

std::pair<std::string, int> armor(const BitBuffer& bits) {
  std::string payload;
  payload.reserve((bits.size() + 5) / 6);
  for (std::size_t pos = 0; pos < bits.size(); pos += 6) {
    const auto v = static_cast<unsigned>(bits.get(pos, 6));  // past-the-end bits read as 0
    payload += static_cast<char>(v < 40 ? v + 48 : v + 56);
  }
  const int fill = static_cast<int>((6 - bits.size() % 6) % 6);
  return {std::move(payload), fill};
}

char sixbit_to_char(unsigned value) noexcept {
  value &= 0x3FU;
  return static_cast<char>(value < 32 ? value + 64 : value);
}

unsigned char_to_sixbit(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 64 && u <= 95) return u - 64U;
  if (u >= 32 && u <= 63) return u;
  return 0;
}

}  // namespace twincert::ais
