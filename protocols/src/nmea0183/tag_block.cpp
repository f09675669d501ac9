#include "twincert/protocols/nmea0183/tag_block.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <string>
#include <system_error>

#include "integer_text.hpp"

namespace twincert::nmea0183 {

namespace {

template <class Int>
bool parse_int(std::string_view text, Int& out) noexcept {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && ptr == end;
}

bool parse_group(std::string_view text, SentenceGroup& out) noexcept {
  const auto first = text.find('-');
  if (first == std::string_view::npos) return false;
  const auto second = text.find('-', first + 1);
  if (second == std::string_view::npos) return false;
  return parse_int(text.substr(0, first), out.number) &&
         parse_int(text.substr(first + 1, second - first - 1), out.total) &&
         parse_int(text.substr(second + 1), out.id);
}

}  // namespace

namespace {

// Checks the "*hh" of a tag block's content (between the backslashes) and returns the content
// without it. offset: where the content starts in the input.
Result<std::string_view> verify_tag_checksum(std::string_view content, std::size_t offset,
                                             Mode mode, Violations* violations) noexcept {
  const auto star = content.find('*');
  if (star == std::string_view::npos) {
    if (auto e = breach(mode, violations,
                        make_error(ErrorCode::kBadTagChecksum, offset + content.size(), 0,
                                   "tag block without checksum"))) {
      return *e;
    }
    return content;
  }
  const std::string_view hex = content.substr(star + 1);
  const int high = hex.size() == 2 ? hex_value(hex[0]) : -1;
  const int low = hex.size() == 2 ? hex_value(hex[1]) : -1;
  if (high < 0 || low < 0) {
    return make_error(ErrorCode::kBadTagChecksum, offset + star, 0,
                      "tag checksum is not two hex digits");
  }
  content = content.substr(0, star);
  if (static_cast<std::uint8_t>((high << 4) | low) != checksum_of(content)) {
    return make_error(ErrorCode::kBadTagChecksum, offset + star);
  }
  return content;
}

// Stores one "k:value" item into tag. offset: where the item starts in the input.
std::optional<ParseError> parse_tag_item(std::string_view item, std::size_t offset, Mode mode,
                                         Violations* violations, TagBlock& tag) noexcept {
  if (item.size() < 2 || item[1] != ':') {
    return make_error(ErrorCode::kBadTagBlock, offset, 0, "expected key:value");
  }
  const std::string_view value = item.substr(2);
  bool ok = true;
  bool duplicate = false;
  const auto set_text = [&](std::optional<std::string>& slot) {
    duplicate = slot.has_value();
    ok = value.size() <= kMaxTagTextLength && value.find_first_of("\\*,") == std::string_view::npos;
    slot.emplace(value);
  };
  const auto set_int = [&](std::optional<std::int64_t>& slot) {
    duplicate = slot.has_value();
    std::int64_t number = 0;
    ok = parse_int(value, number) && number >= 0;
    slot = number;
  };
  switch (item[0]) {
    case 'c':
      set_int(tag.unix_time);
      break;
    case 'd':
      set_text(tag.destination);
      break;
    case 'n':
      set_int(tag.line_count);
      break;
    case 'r':
      set_int(tag.relative_time);
      break;
    case 's':
      set_text(tag.source);
      break;
    case 't':
      set_text(tag.text);
      break;
    case 'g': {
      duplicate = tag.group.has_value();
      SentenceGroup g;
      ok = parse_group(value, g);
      tag.group = g;
      break;
    }
    default:
      return breach(mode, violations,
                    make_error(ErrorCode::kBadTagBlock, offset, 0, "unknown key"));
  }
  if (!ok) return make_error(ErrorCode::kBadTagBlock, offset + 2, 0, "bad value");
  if (duplicate) return make_error(ErrorCode::kBadTagBlock, offset, 0, "duplicate key");
  return std::nullopt;
}

}  // namespace

Result<TagBlock> parse_tag_block(std::string_view input, Mode mode, Violations* violations,
                                 std::size_t* consumed) noexcept {
  if (input.empty() || input[0] != '\\') {
    return make_error(ErrorCode::kBadTagBlock, 0, 0, "no '\\'");
  }
  const auto close = input.find('\\', 1);
  if (close == std::string_view::npos) {
    return make_error(ErrorCode::kBadTagBlock, input.size(), 0, "unterminated tag block");
  }
  if (consumed != nullptr) *consumed = close + 1;
  const std::string_view block = input.substr(1, close - 1);
  for (std::size_t i = 0; i < block.size(); ++i) {
    const auto u = static_cast<unsigned char>(block[i]);
    if (u < 0x20 || u > 0x7E) {
      return make_error(ErrorCode::kIllegalCharacter, 1 + i, 0, "non-printable byte in tag block");
    }
  }
  if (block.size() > kMaxTagBlockLength) {
    if (auto e = breach(mode, violations, make_error(ErrorCode::kTooLong, 1, 0, "tag block"))) {
      return *e;
    }
  }
  const auto content = verify_tag_checksum(block, 1, mode, violations);
  if (!content) return content.error();

  TagBlock tag;
  std::size_t pos = 0;
  while (pos <= content->size()) {
    const auto comma = content->find(',', pos);
    const std::size_t end = comma == std::string_view::npos ? content->size() : comma;
    if (auto e = parse_tag_item(content->substr(pos, end - pos), 1 + pos, mode, violations, tag)) {
      return *e;
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return tag;
}

using detail::append_integer;

void append_tag_block(const TagBlock& tag, std::string& out) {
  out += '\\';
  const std::size_t body = out.size();
  const auto key = [&](char k) -> std::string& {
    if (out.size() != body) out += ',';
    out += k;
    out += ':';
    return out;
  };
  if (tag.unix_time) append_integer(key('c'), *tag.unix_time);
  if (tag.destination) key('d') += *tag.destination;
  if (tag.group) {
    append_integer(key('g'), tag.group->number);
    out += '-';
    append_integer(out, tag.group->total);
    out += '-';
    append_integer(out, tag.group->id);
  }
  if (tag.line_count) append_integer(key('n'), *tag.line_count);
  if (tag.relative_time) append_integer(key('r'), *tag.relative_time);
  if (tag.source) key('s') += *tag.source;
  if (tag.text) key('t') += *tag.text;
  const auto suffix = checksum_suffix(checksum_of(std::string_view(out).substr(body)));
  out.append(suffix.data(), suffix.size());
  out += '\\';
}

void TagBlockStamper::append(std::int64_t unix_time, std::int64_t line_count,
                             std::int64_t relative_time, std::string_view source,
                             std::string& out) {
  const auto refresh = [](Part& part, std::int64_t value, std::string_view before,
                          std::string_view after) {
    if (part.value == value) return;
    part.text.assign(before);
    append_integer(part.text, value);
    part.text += after;
    part.checksum = checksum_of(part.text);
    part.value = value;
  };
  refresh(time_, unix_time, "c:", ",n:");
  refresh(relative_, relative_time, ",r:", ",s:");
  if (source != source_) {
    source_.assign(source);
    source_checksum_ = checksum_of(source_);
  }
  out += '\\';
  out += time_.text;
  const std::size_t count_at = out.size();
  append_integer(out, line_count);
  const std::uint8_t count_checksum = checksum_of(std::string_view(out).substr(count_at));
  out += relative_.text;
  out += source_;
  const auto suffix = checksum_suffix(static_cast<std::uint8_t>(
      time_.checksum ^ count_checksum ^ relative_.checksum ^ source_checksum_));
  out.append(suffix.data(), suffix.size());
  out += '\\';
}

std::string format_tag_block(const TagBlock& tag) {
  std::string out;
  out.reserve(kMaxTagBlockLength);
  append_tag_block(tag, out);
  return out;
}

Result<TaggedSentence> parse_tagged_sentence(std::string_view line, Mode mode) noexcept {
  // Filled in place and returned by name on every path, so the large value is never copied.
  Result<TaggedSentence> result{std::in_place};
  Violations tag_violations;
  std::size_t offset = 0;
  if (!line.empty() && line[0] == '\\') {
    auto parsed = parse_tag_block(line, mode, &tag_violations, &offset);
    if (!parsed) {
      result = parsed.error();
      return result;
    }
    result->tag = std::move(*parsed);
  }
  if (auto error = parse_sentence_into(line.substr(offset), mode, result->sentence)) {
    error->offset += static_cast<std::uint32_t>(offset);
    result = *error;
    return result;
  }
  if (!tag_violations.empty()) result->sentence.violations().merge(tag_violations);
  return result;
}

}  // namespace twincert::nmea0183
