// Runs the protocol code over the real captures in ../shared/corpus (tests read them there; they
// are never copied in). What the issue asks: every sentence whose checksum is valid and whose
// type is typed must decode; every other line gets a precise error, never a crash.
#include "twincert/testing/corpus.hpp"

#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "twincert/protocols/nmea0183/framer.hpp"
#include "twincert/protocols/nmea0183/lint.hpp"
#include "twincert/protocols/nmea0183/registry.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"

namespace twincert::nmea0183 {
namespace {

using testing::corpus_captures;
using testing::read_file;

template <class OnFrame>
void for_each_frame(std::string_view bytes, OnFrame on_frame) {
  Framer framer;
  while (!bytes.empty()) {
    const auto r = framer.feed(bytes);
    bytes.remove_prefix(r.consumed);
    if (r.status == FrameStatus::kComplete) on_frame(framer.frame());
  }
  if (framer.finish()) on_frame(framer.frame());
}

TEST(CorpusTest, CorpusIsPresentBesideTheCheckout) {
  // The suite must not silently pass on a machine without the corpus.
  EXPECT_GT(corpus_captures().size(), 200U) << "corpus expected at " << testing::corpus_dir();
}

TEST(CorpusTest, EveryTypedSentenceWithValidChecksumDecodes) {
  std::size_t typed = 0;
  std::size_t failures = 0;
  std::map<std::string, std::size_t> decoded_by_type;
  for (const auto& path : corpus_captures()) {
    const std::string bytes = read_file(path);
    for_each_frame(bytes, [&](std::string_view frame) {
      auto parsed = parse_tagged_sentence(frame, Mode::kLenient);
      if (!parsed) return;  // damaged: must have an error, checked below
      const RawSentence& s = parsed->sentence;
      if (s.proprietary()) return;
      const SentenceType* type = find_sentence_type(s.formatter());
      if (type == nullptr) return;
      ++typed;
      Violations v;
      const auto decoded = type->validate(s, Mode::kLenient, &v);
      if (decoded) {
        ++decoded_by_type[std::string(type->formatter)];
      } else if (++failures <= 25) {
        ADD_FAILURE() << path.lexically_relative(testing::corpus_dir()).string() << ": "
                      << to_string(decoded.error(), s.body()) << "\n  " << frame;
      }
    });
  }
  EXPECT_EQ(failures, 0U) << "of " << typed << " typed sentences";
  // The corpus has every common type; a regression that rejects a whole type shows here.
  for (const char* t :
       {"GGA", "RMC", "GLL", "VTG", "ZDA", "GNS", "GSA", "GSV", "HDT", "HDG", "THS", "ROT",
        "DPT", "DBT", "MTW", "MWV", "MWD", "VHW", "VLW", "XDR", "TXT", "VDM", "VDO"}) {
    EXPECT_GT(decoded_by_type[t], 0U) << t;
  }
  std::cout << "decoded " << typed - failures << " typed sentences of " << decoded_by_type.size()
            << " types\n";
}

TEST(CorpusTest, EveryOtherFrameGetsAPreciseError) {
  std::size_t errors = 0;
  for (const auto& path : corpus_captures()) {
    const std::string bytes = read_file(path);
    for_each_frame(bytes, [&](std::string_view frame) {
      auto parsed = parse_tagged_sentence(frame, Mode::kLenient);
      if (parsed) return;
      ++errors;
      const ParseError& e = parsed.error();
      EXPECT_LE(e.offset, frame.size()) << frame;
      EXPECT_NE(describe(e.code), "Unknown");
    });
  }
  EXPECT_GT(errors, 100U);  // the corpus has real damage (bad checksums, binary protocols)
}

TEST(CorpusTest, LinterCountsMatchTheCorpusStatistics) {
  // STATS.md: 50036 sentences with a valid checksum in the whole corpus. Our framer also cuts
  // sentences out of binary logs, so the count of valid ones is at least that.
  LintStats total;
  for (const auto& path : corpus_captures()) {
    CaptureLinter linter(Mode::kLenient);
    linter.feed(read_file(path));
    linter.finish();
    total.merge(linter.stats());
  }
  std::uint64_t valid = 0;
  for (const auto& [type, t] : total.types) valid += t.valid;
  EXPECT_GE(valid, 50000U);
  EXPECT_GT(total.ais.messages_by_type[1], 1000U);
  EXPECT_GT(total.ais.messages_by_type[5], 10U);
  EXPECT_EQ(total.ais.errors.count(ErrorCode::kBadArmoring), 0U);
}

}  // namespace
}  // namespace twincert::nmea0183
