#include "twincert/protocols/nmea0183/framer.hpp"

#include <ostream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace twincert::nmea0183 {
namespace {

using ::testing::ElementsAre;

struct Drop {
  std::size_t bytes;
  ErrorCode code;
  std::uint32_t offset;
  friend bool operator==(const Drop&, const Drop&) = default;
  friend void PrintTo(const Drop& d, std::ostream* os) {
    *os << describe(d.code) << " of " << d.bytes << " bytes at " << d.offset;
  }
};

class RecordingSink final : public ErrorSink {
 public:
  void on_dropped(std::size_t byte_count, const ParseError& why) override {
    drops.push_back({byte_count, why.code, why.offset});
  }
  std::vector<Drop> drops;
};

struct Framed {
  std::vector<std::string> frames;
  std::vector<Terminator> terminators;
  std::vector<Drop> drops;
};

// Feeds `input` in chunks of `chunk` bytes (0 = all at once).
Framed frame_all(std::string_view input, std::size_t chunk = 0) {
  RecordingSink sink;
  Framer framer(&sink);
  Framed out;
  const auto take = [&] {
    out.frames.emplace_back(framer.frame());
    out.terminators.push_back(framer.terminator());
  };
  std::size_t pos = 0;
  while (pos < input.size()) {
    std::string_view piece = input.substr(pos, chunk == 0 ? input.size() : chunk);
    pos += piece.size();
    while (!piece.empty()) {
      const auto r = framer.feed(piece);
      piece.remove_prefix(r.consumed);
      if (r.status == FrameStatus::kComplete) take();
    }
  }
  if (framer.finish()) take();
  out.drops = sink.drops;
  return out;
}

TEST(FramerTest, CutsLinesAndStripsCrLf) {
  const auto r = frame_all("$GPHDT,274.07,T*03\r\n$HEROT,0.0,A*2B\r\n");
  EXPECT_THAT(r.frames, ElementsAre("$GPHDT,274.07,T*03", "$HEROT,0.0,A*2B"));
  EXPECT_THAT(r.terminators, ElementsAre(Terminator::kCrLf, Terminator::kCrLf));
  EXPECT_TRUE(r.drops.empty());
}

TEST(FramerTest, KeepsTagBlockWithItsSentence) {
  const auto r = frame_all("\\s:GP0001,n:1*16\\$GPHDT,274.07,T*03\r\n");
  EXPECT_THAT(r.frames, ElementsAre("\\s:GP0001,n:1*16\\$GPHDT,274.07,T*03"));
}

// Receiver logs hold long binary stretches: skipped in blocks, they must still be counted to
// the byte, end at a start, CR or LF, and leave a '#' after the LF a comment line.
TEST(FramerTest, LongBinaryStretchIsOneDropWhateverTheChunking) {
  std::string binary;
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    if (c != '$' && c != '!' && c != '\\' && c != '\r' && c != '\n') binary += c;
  }
  binary += binary;  // 502 bytes, every byte value that cannot end garbage
  const std::string input =
      binary + "$GPHDT,274.07,T*03\r\n" + binary + "\n# comment\n" + binary.substr(0, 37) + "!";
  const auto whole = frame_all(input);
  EXPECT_THAT(whole.frames, ElementsAre("$GPHDT,274.07,T*03", "!"));  // "!" ends the input
  const auto second = static_cast<std::uint32_t>(binary.size() + 20);
  EXPECT_THAT(whole.drops,
              ElementsAre(Drop{binary.size(), ErrorCode::kGarbage, 0},
                          Drop{binary.size() + 1, ErrorCode::kGarbage, second},
                          Drop{37, ErrorCode::kGarbage,
                               second + static_cast<std::uint32_t>(binary.size()) + 11}));
  for (const std::size_t chunk : {1U, 3U, 15U, 16U, 17U, 64U}) {
    const auto cut = frame_all(input, chunk);
    EXPECT_EQ(cut.frames, whole.frames) << "chunks of " << chunk;
    EXPECT_EQ(cut.drops, whole.drops) << "chunks of " << chunk;
  }
}

TEST(FramerTest, ResyncsAfterGarbageAndReportsDroppedBytes) {
  const auto r = frame_all("xx\x01yy$GPHDT,274.07,T*03\r\n");
  EXPECT_THAT(r.frames, ElementsAre("$GPHDT,274.07,T*03"));
  EXPECT_THAT(r.drops, ElementsAre(Drop{5, ErrorCode::kGarbage, 0}));
}

TEST(FramerTest, SkipsCommentLinesWithoutReportingThem) {
  RecordingSink sink;
  Framer framer(&sink);
  const std::string input = "# Submitter: someone\r\n#\n$GPHDT,274.07,T*03\n";
  std::string_view rest = input;
  std::vector<std::string> frames;
  while (!rest.empty()) {
    const auto r = framer.feed(rest);
    rest.remove_prefix(r.consumed);
    if (r.status == FrameStatus::kComplete) frames.emplace_back(framer.frame());
  }
  EXPECT_THAT(frames, ElementsAre("$GPHDT,274.07,T*03"));
  EXPECT_EQ(framer.stats().comment_lines, 2U);
  EXPECT_TRUE(sink.drops.empty());
}

TEST(FramerTest, DropsASentenceCutShortByTheNextOne) {
  const auto r = frame_all("$GPGGA,1234$GPHDT,274.07,T*03\r\n");
  EXPECT_THAT(r.frames, ElementsAre("$GPHDT,274.07,T*03"));
  EXPECT_THAT(r.drops, ElementsAre(Drop{11, ErrorCode::kTruncated, 0}));
}

TEST(FramerTest, SplitsTwoSentencesOnOneLineAfterTheChecksum) {
  const auto r = frame_all("$GPHDT,274.07,T*03$HEROT,0.0,A*2B\n");
  EXPECT_THAT(r.frames, ElementsAre("$GPHDT,274.07,T*03", "$HEROT,0.0,A*2B"));
  EXPECT_THAT(r.terminators, ElementsAre(Terminator::kNextStart, Terminator::kLf));
}

TEST(FramerTest, KeepsTrailingCharactersForTheParserToJudge) {
  const auto r = frame_all("!AIVDM,1,1,,B,14pWHb?P03rwO<F:RQOnROw<25bd,0*3E,1357134218\n");
  EXPECT_THAT(r.frames, ElementsAre("!AIVDM,1,1,,B,14pWHb?P03rwO<F:RQOnROw<25bd,0*3E,1357134218"));
}

TEST(FramerTest, DropsOverlongInputWithoutStoringIt) {
  const std::string input = "$GPTXT," + std::string(2000, 'A') + "\r\n$HEROT,0.0,A*2B\r\n";
  const auto r = frame_all(input, 7);
  EXPECT_THAT(r.frames, ElementsAre("$HEROT,0.0,A*2B"));
  ASSERT_EQ(r.drops.size(), 1U);
  EXPECT_EQ(r.drops[0].code, ErrorCode::kTooLong);
  EXPECT_EQ(r.drops[0].offset, 0U);
  EXPECT_EQ(r.drops[0].bytes, 2008U);  // everything up to the LF
}

TEST(FramerTest, DropsFrameOnNonPrintableByteAndResyncs) {
  const auto r = frame_all("$GPHDT,27\x80\x81.07\r\n$HEROT,0.0,A*2B\r\n");
  EXPECT_THAT(r.frames, ElementsAre("$HEROT,0.0,A*2B"));
  EXPECT_THAT(r.drops, ElementsAre(Drop{9, ErrorCode::kIllegalCharacter, 0},
                                   Drop{7, ErrorCode::kGarbage, 9}));
}

TEST(FramerTest, ReportsTagBlockWithoutSentence) {
  const auto r = frame_all("\\s:GP0001*3C\\\r\n$HEROT,0.0,A*2B\r\n");
  EXPECT_THAT(r.frames, ElementsAre("$HEROT,0.0,A*2B"));
  ASSERT_EQ(r.drops.size(), 1U);
  EXPECT_EQ(r.drops[0].code, ErrorCode::kBadTagBlock);
}

TEST(FramerTest, FlushesAnUnterminatedLastSentenceAtEndOfInput) {
  const auto r = frame_all("$HEROT,0.0,A*2B");
  EXPECT_THAT(r.frames, ElementsAre("$HEROT,0.0,A*2B"));
  EXPECT_THAT(r.terminators, ElementsAre(Terminator::kEndOfInput));
}

TEST(FramerTest, WaitsForLfAfterCrAcrossChunks) {
  const auto r = frame_all("$HEROT,0.0,A*2B\r\n$HEROT,0.0,A*2B\r$GPHDT,274.07,T*03\r", 16);
  EXPECT_THAT(r.frames, ElementsAre("$HEROT,0.0,A*2B", "$HEROT,0.0,A*2B", "$GPHDT,274.07,T*03"));
  EXPECT_THAT(r.terminators, ElementsAre(Terminator::kCrLf, Terminator::kCr, Terminator::kCr));
}

TEST(FramerTest, SameFramesWhetherFedByteByByteOrWhole) {
  const std::string input =
      "# header\n\xB5\x62\x01garbage$GPGGA,12\r\n\\s:GP0001,n:1*16\\$GPHDT,274.07,T*03\r\n"
      "$HEROT,0.0,A*2B$GPHDT,274.07,T*03\n!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C\r\n";
  const auto whole = frame_all(input);
  const auto bytes = frame_all(input, 1);
  EXPECT_EQ(whole.frames, bytes.frames);
  EXPECT_EQ(whole.terminators, bytes.terminators);
  EXPECT_EQ(whole.drops, bytes.drops);
  EXPECT_EQ(whole.frames.size(), 5U);
}

}  // namespace
}  // namespace twincert::nmea0183
