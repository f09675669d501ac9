#include "twincert/protocols/nmea0183/sentence.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "matchers.hpp"

namespace twincert::nmea0183 {
namespace {

using ::testing::ElementsAre;

// Worked examples recomputed by script (docs/sources.md, checksum worked examples).
TEST(ChecksumTest, MatchesPublishedWorkedExamples) {
  EXPECT_EQ(checksum_of("GNRMC,001031.00,A,4404.13993,N,12118.86023,W,0.146,,100117,,,A"), 0x7B);
  EXPECT_EQ(checksum_of("HEROT,0.0,A"), 0x2B);
  EXPECT_EQ(checksum_of("GPHDT,274.07,T"), 0x03);
  EXPECT_EQ(checksum_of("SDDBT,7.8,f,2.4,M,1.3,F"), 0x0D);
  EXPECT_EQ(checksum_of("WIMWD,302.4,T,289.6,M,10.5,N,5.4,M"), 0x6F);
  EXPECT_EQ(checksum_of("HETHS,316.70,E"), 0x1A);
  EXPECT_EQ(checksum_of("RCRSA,-22.0,A,34.0,A"), 0x7B);
  EXPECT_EQ(checksum_of("FRFIR,D,000000,FD,,,,A,,PANEL 01 ZONE 03 DISABLED"), 0x38);
  EXPECT_EQ(checksum_of("AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0"), 0x5C);
}

TEST(ParseSentenceTest, SplitsAddressAndFields) {
  const auto s = parse_sentence("$GPHDT,274.07,T*03\r\n", Mode::kStrict);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->start(), '$');
  EXPECT_EQ(s->address(), "GPHDT");
  EXPECT_EQ(s->talker(), "GP");
  EXPECT_EQ(s->formatter(), "HDT");
  EXPECT_EQ(s->field_count(), 2U);
  EXPECT_EQ(s->field(1), "274.07");
  EXPECT_EQ(s->field(2), "T");
  EXPECT_EQ(s->field(3), "");
  EXPECT_EQ(s->field_offset(2), 14U);
  EXPECT_EQ(s->checksum(), 0x03);
  EXPECT_TRUE(s->violations().empty());
}

TEST(ParseSentenceTest, KeepsEmptyFieldsAsEmptyViews) {
  const auto s = parse_sentence("$SDDBT,,f,22.5,M,,F*33", Mode::kStrict);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->field_count(), 6U);
  EXPECT_EQ(s->field(1), "");
  EXPECT_EQ(s->field(3), "22.5");
}

TEST(ParseSentenceTest, LowerCaseChecksumHexIsAViolation) {
  EXPECT_THAT(parse_sentence("$HEROT,0.0,A*2b", Mode::kStrict),
              HasErrorAt(ErrorCode::kBadChecksumFormat, 12));
  const auto s = parse_sentence("$HEROT,0.0,A*2b", Mode::kLenient);
  ASSERT_THAT(s, IsOk());
  EXPECT_TRUE(s->violations().has(ErrorCode::kBadChecksumFormat));
}

TEST(ParseSentenceTest, ProprietaryAddressHasPTalker) {
  const auto s = parse_sentence("$PGRME,15.0,M,45.0,M,25.0,M*1C", Mode::kStrict);
  ASSERT_THAT(s, IsOk());
  EXPECT_TRUE(s->proprietary());
  EXPECT_EQ(s->talker(), "P");
  EXPECT_EQ(s->formatter(), "GRME");
}

TEST(ParseSentenceTest, ReportsBadChecksumAtTheStar) {
  EXPECT_THAT(parse_sentence("$GPHDT,274.07,T*04\r\n", Mode::kLenient),
              HasErrorAt(ErrorCode::kBadChecksum, 15));
}

TEST(ParseSentenceTest, RejectsChecksumThatIsNotHex) {
  EXPECT_THAT(parse_sentence("$GPHDT,274.07,T*0G", Mode::kLenient),
              HasErrorAt(ErrorCode::kBadChecksumFormat, 15));
  EXPECT_THAT(parse_sentence("$GPHDT,274.07,T*0", Mode::kLenient),
              HasErrorAt(ErrorCode::kBadChecksumFormat, 15));
}

TEST(ParseSentenceTest, MissingChecksumIsErrorInStrictAndViolationInLenient) {
  EXPECT_THAT(parse_sentence("$GPHDT,274.07,T\r\n", Mode::kStrict),
              HasErrorAt(ErrorCode::kMissingChecksum, 15));
  const auto lenient = parse_sentence("$GPHDT,274.07,T\r\n", Mode::kLenient);
  ASSERT_THAT(lenient, IsOk());
  EXPECT_TRUE(lenient->violations().has(ErrorCode::kMissingChecksum));
  EXPECT_EQ(lenient->checksum(), std::nullopt);
}

TEST(ParseSentenceTest, RejectsBadStartDelimiter) {
  EXPECT_THAT(parse_sentence("GPHDT,274.07,T*03", Mode::kLenient),
              HasErrorAt(ErrorCode::kBadStartDelimiter, 0));
  EXPECT_THAT(parse_sentence("", Mode::kLenient), HasError(ErrorCode::kEmpty));
}

// Builds "$<body>*hh" with a correct checksum.
std::string with_checksum(const std::string& body) {
  const auto suffix = checksum_suffix(checksum_of(body));
  return "$" + body + std::string(suffix.data(), suffix.size());
}

TEST(ParseSentenceTest, OddAddressIsAViolationInLenientAndAnErrorInStrict) {
  const std::string text = with_checksum("GYOACC,1.0");  // a real gyro's six-letter address
  EXPECT_THAT(parse_sentence(text, Mode::kStrict), HasErrorAt(ErrorCode::kBadAddress, 1));
  const auto lenient = parse_sentence(text, Mode::kLenient);
  ASSERT_THAT(lenient, IsOk());
  EXPECT_TRUE(lenient->violations().has(ErrorCode::kBadAddress));
}

TEST(ParseSentenceTest, RejectsAddressThatIsNotUpperCaseAlphanumeric) {
  EXPECT_THAT(parse_sentence(with_checksum("gphdt,274.07,T"), Mode::kLenient),
              HasErrorAt(ErrorCode::kBadAddress, 1));
  EXPECT_THAT(parse_sentence(with_checksum(",274.07,T"), Mode::kLenient),
              HasErrorAt(ErrorCode::kBadAddress, 1));
}

TEST(ParseSentenceTest, NonPrintableByteIsAnErrorInBothModes) {
  EXPECT_THAT(parse_sentence(std::string("$GPHDT,27\x01.07,T*03"), Mode::kLenient),
              HasFieldError(ErrorCode::kIllegalCharacter, 9, 1));
}

TEST(ParseSentenceTest, RawReservedCharacterIsAViolation) {
  SentenceWriter w("GPTXT");
  w.field("01").field("01").field("02").field("A~B");
  const std::string text = std::move(w).finish();
  EXPECT_THAT(parse_sentence(text, Mode::kStrict),
              HasFieldError(ErrorCode::kIllegalCharacter, 17, 4));
  const auto lenient = parse_sentence(text, Mode::kLenient);
  ASSERT_THAT(lenient, IsOk());
  EXPECT_TRUE(lenient->violations().has(ErrorCode::kIllegalCharacter));
}

TEST(ParseSentenceTest, EnforcesTheEightyTwoCharacterLimitInStrictMode) {
  SentenceWriter w("GPTXT");
  w.field("01").field("01").field("02").field(std::string(70, 'X'));
  const std::string text = std::move(w).finish();
  ASSERT_GT(text.size(), kMaxSentenceLength);
  EXPECT_THAT(parse_sentence(text, Mode::kStrict), HasErrorAt(ErrorCode::kTooLong, 80));
  const auto lenient = parse_sentence(text, Mode::kLenient);
  ASSERT_THAT(lenient, IsOk());
  EXPECT_TRUE(lenient->violations().has(ErrorCode::kTooLong));
}

TEST(ParseSentenceTest, RejectsSentencesBeyondTheLenientHardLimit) {
  SentenceWriter w("GPTXT");
  w.field(std::string(300, 'X'));
  EXPECT_THAT(parse_sentence(std::move(w).finish(), Mode::kLenient),
              HasErrorAt(ErrorCode::kTooLong, kMaxLenientSentenceLength));
}

TEST(ParseSentenceTest, FlagsTrailingCharactersAndBareTerminators) {
  EXPECT_THAT(parse_sentence("$GPHDT,274.07,T*03,1357134218", Mode::kStrict),
              HasErrorAt(ErrorCode::kTrailingCharacters, 18));
  EXPECT_THAT(parse_sentence("$GPHDT,274.07,T*03\n", Mode::kStrict),
              HasErrorAt(ErrorCode::kMissingTerminator, 18));
  const auto lenient = parse_sentence("$GPHDT,274.07,T*03,1357134218", Mode::kLenient);
  ASSERT_THAT(lenient, IsOk());
  EXPECT_TRUE(lenient->violations().has(ErrorCode::kTrailingCharacters));
}

TEST(ParseSentenceTest, ChecksEscapes) {
  SentenceWriter w("GPTXT");
  w.field("01").field("01").field("02").field("A^2CB^G1");
  const std::string text = std::move(w).finish();
  EXPECT_THAT(parse_sentence(text, Mode::kStrict), HasFieldError(ErrorCode::kBadEscape, 21, 4));
}

TEST(SentenceWriterTest, AppendsChecksumAndCrLf) {
  SentenceWriter w("HEROT");
  w.field("0.0").field("A");
  EXPECT_EQ(std::move(w).finish(), "$HEROT,0.0,A*2B\r\n");
}

TEST(EscapeTextTest, EscapesReservedCharactersAndLatin1) {
  EXPECT_EQ(escape_text("A,B*C^D"), "A^2CB^2AC^5ED");
  EXPECT_EQ(escape_text("caf\xC3\xA9"), "caf^E9");
}

TEST(EscapeTextTest, UnescapeInvertsEscape) {
  const std::string text = "Fire, zone 3 *ALARM* ^ \\ caf\xC3\xA9";
  const auto back = unescape_text(escape_text(text));
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back, text);
  EXPECT_THAT(unescape_text("AB^4"), HasErrorAt(ErrorCode::kBadEscape, 2));
}

TEST(ViolationsTest, KeepsFirstFourAndEveryCode) {
  Violations v;
  for (int i = 0; i < 6; ++i) v.add(make_error(ErrorCode::kTooLong, static_cast<std::size_t>(i)));
  v.add(make_error(ErrorCode::kBadEscape, 9));
  EXPECT_EQ(v.first().size(), Violations::kKept);
  EXPECT_TRUE(v.has(ErrorCode::kTooLong));
  EXPECT_TRUE(v.has(ErrorCode::kBadEscape));
  EXPECT_FALSE(v.has(ErrorCode::kBadChecksum));
}

TEST(ErrorTest, DescribesErrorsWithPositionAndFieldText) {
  const std::string input = "$GPGLL,4461.2000,N,00000.000,E*00";
  EXPECT_EQ(to_string(make_error(ErrorCode::kFieldOutOfRange, 7, 1, "latitude minutes"), input),
            "FieldOutOfRange at 7 field 1: latitude minutes \"4461.2000\"");
  EXPECT_EQ(to_string(make_error(ErrorCode::kBadChecksum, 74)), "BadChecksum at 74");
  EXPECT_TRUE(is_fatal(ErrorCode::kGarbage));
  EXPECT_FALSE(is_fatal(ErrorCode::kBadChecksum));
}

}  // namespace
}  // namespace twincert::nmea0183
