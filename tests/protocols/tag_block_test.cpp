#include "twincert/protocols/nmea0183/tag_block.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "matchers.hpp"

namespace twincert::nmea0183 {
namespace {

// "\content*hh\" with the correct checksum.
std::string tagged(std::string_view content) {
  const auto suffix = checksum_suffix(checksum_of(content));
  return "\\" + std::string(content) + std::string(suffix.data(), suffix.size()) + "\\";
}

// The worked example of docs/sources.md (checksum 4A recomputed by script).
TEST(TagBlockTest, ParsesThePublishedExample) {
  std::size_t consumed = 0;
  const std::string_view input = "\\g:1-2-73874,n:157036,s:r003669945,c:1241544035*4A\\!AIVDM";
  const auto tag = parse_tag_block(input, Mode::kStrict, nullptr, &consumed);
  ASSERT_THAT(tag, IsOk());
  EXPECT_EQ(consumed, 51U);
  ASSERT_TRUE(tag->group.has_value());
  EXPECT_EQ(*tag->group, (SentenceGroup{1, 2, 73874}));
  EXPECT_EQ(tag->line_count, 157036);
  EXPECT_EQ(tag->source, "r003669945");
  EXPECT_EQ(tag->unix_time, 1241544035);
  EXPECT_FALSE(tag->destination.has_value());
}

TEST(TagBlockTest, RejectsWrongChecksum) {
  // A vector quoted in a public issue with a wrong checksum (the correct XOR is 33).
  EXPECT_THAT(parse_tag_block("\\s:002131,c:1677664386*B4\\", Mode::kLenient, nullptr, nullptr),
              HasErrorAt(ErrorCode::kBadTagChecksum, 22));
  EXPECT_THAT(parse_tag_block("\\s:002131,c:1677664386*33\\", Mode::kLenient, nullptr, nullptr),
              IsOk());
}

TEST(TagBlockTest, MissingChecksumIsStrictErrorAndLenientViolation) {
  EXPECT_THAT(parse_tag_block("\\s:GP0001\\", Mode::kStrict, nullptr, nullptr),
              HasError(ErrorCode::kBadTagChecksum));
  Violations v;
  EXPECT_THAT(parse_tag_block("\\s:GP0001\\", Mode::kLenient, &v, nullptr), IsOk());
  EXPECT_TRUE(v.has(ErrorCode::kBadTagChecksum));
}

TEST(TagBlockTest, ReportsSyntaxErrorsAtTheirOffset) {
  EXPECT_THAT(parse_tag_block("\\s:GP0001", Mode::kLenient, nullptr, nullptr),
              HasErrorAt(ErrorCode::kBadTagBlock, 9));  // unterminated
  EXPECT_THAT(parse_tag_block(tagged("c:12x4"), Mode::kLenient, nullptr, nullptr),
              HasErrorAt(ErrorCode::kBadTagBlock, 3));  // not a number
  EXPECT_THAT(parse_tag_block(tagged("s:A,s:B"), Mode::kLenient, nullptr, nullptr),
              HasErrorAt(ErrorCode::kBadTagBlock, 5));  // duplicate key
  EXPECT_THAT(parse_tag_block(tagged("s:A,,n:1"), Mode::kLenient, nullptr, nullptr),
              HasErrorAt(ErrorCode::kBadTagBlock, 5));  // empty item
  EXPECT_THAT(parse_tag_block(tagged("g:1-2"), Mode::kLenient, nullptr, nullptr),
              HasErrorAt(ErrorCode::kBadTagBlock, 3));  // group needs three numbers
}

TEST(TagBlockTest, UnknownKeyIsStrictError) {
  const std::string text = tagged("x:1,s:GP0001");
  EXPECT_THAT(parse_tag_block(text, Mode::kStrict, nullptr, nullptr),
              HasErrorAt(ErrorCode::kBadTagBlock, 1));
  Violations v;
  EXPECT_THAT(parse_tag_block(text, Mode::kLenient, &v, nullptr), IsOk());
  EXPECT_TRUE(v.has(ErrorCode::kBadTagBlock));
}

TEST(TagBlockTest, OverLongTagBlockIsStrictError) {
  TagBlock t;
  t.source = "GP0001";
  t.destination = "DESTINATION0001";
  t.text = "TEXT01234567890";
  t.unix_time = 1700000000000;
  t.group = SentenceGroup{1, 2, 99999};
  t.relative_time = 123456789;
  const std::string text = format_tag_block(t);
  ASSERT_GT(text.size(), kMaxTagBlockLength + 2);
  EXPECT_THAT(parse_tag_block(text, Mode::kStrict, nullptr, nullptr),
              HasErrorAt(ErrorCode::kTooLong, 1));
}

// Found by fuzz_tag_block (kept in tests/fuzz/corpus/fuzz_tag_block/regressions/).
TEST(TagBlockTest, RejectsNonPrintableBytesInBothModes) {
  EXPECT_THAT(parse_tag_block("\\::Rs\xEAs\\", Mode::kLenient, nullptr, nullptr),
              HasErrorAt(ErrorCode::kIllegalCharacter, 5));
}

TEST(TagBlockTest, FormatsKeysInCanonicalOrderWithChecksum) {
  TagBlock t;
  t.source = "GP0001";
  t.unix_time = 1700000000;
  t.line_count = 42;
  EXPECT_EQ(format_tag_block(t), tagged("c:1700000000,n:42,s:GP0001"));
}

TEST(TaggedSentenceTest, ParsesTagBlockAndSentenceWithOffsetsOnTheLine) {
  const auto line = parse_tagged_sentence("\\s:GP0001,n:1*16\\$GPHDT,274.07,T*03", Mode::kStrict);
  ASSERT_THAT(line, IsOk());
  ASSERT_TRUE(line->tag.has_value());
  EXPECT_EQ(line->tag->source, "GP0001");
  EXPECT_EQ(line->sentence.formatter(), "HDT");
  EXPECT_THAT(parse_tagged_sentence("\\s:GP0001,n:1*16\\$GPHDT,274.07,T*04", Mode::kStrict),
              HasErrorAt(ErrorCode::kBadChecksum, 32));
}

}  // namespace
}  // namespace twincert::nmea0183
