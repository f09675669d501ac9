// Values and alerts read from the sentences a twin emits (observe.sentences, issue 19 item 3):
// typed fields as named values in the truth's units, ALR/ALF/ALC/ACN/ARC as raises, clears and
// acknowledgements in the truth's words, and what cannot be read counted, never a crash.
#include "twincert/harness/sentence_observer.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/adapter.hpp"

namespace twincert::harness {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The sentence with its checksum: "$HEHDT,12.5,T" -> "$HEHDT,12.5,T*hh".
std::string checked(const std::string& body) {
  unsigned sum = 0;
  for (std::size_t i = 1; i < body.size(); ++i) sum ^= static_cast<unsigned char>(body[i]);
  char hex[4];  // NOLINT
  std::snprintf(hex, sizeof hex, "*%02X", sum);
  return body + hex;
}

SentenceValueMap value(const std::string& name, const std::string& formatter, SentenceField field) {
  SentenceValueMap m;
  m.name = name;
  m.formatter = formatter;
  m.field = std::move(field);
  return m;
}

std::string alerts_text(const rules::Observations& o) {
  std::string out;
  for (const auto& a : o.alerts) {
    out += a.change == rules::AlertChange::kRaised    ? "raised "
           : a.change == rules::AlertChange::kCleared ? "cleared "
                                                      : "acknowledged ";
    out += a.condition + " " + a.subject + " @" + std::to_string(static_cast<int>(a.t_s)) + "; ";
  }
  return out;
}

TEST(SentenceObserverTest, TypedFieldsBecomeNamedValuesInTheTruthsUnits) {
  SentenceMaps maps;
  maps.values.push_back(value("heading_deg", "HDT", {"heading_true_deg", 0}));
  auto sog = value("sog_kn", "VTG", {"sog_kmh", 0});
  sog.transform.unit = "km/h";
  sog.transform.to_truth = *units::conversion(*units::find_unit("km/h"), *units::find_unit("kn"));
  maps.values.push_back(sog);
  auto lat = value("lat", "RMC", {"latitude", 0});
  lat.when_field = SentenceField{"status", 0};
  lat.when_equals = "A";
  maps.values.push_back(lat);
  auto depth = value("depth_m", "DPT", {"", 1});  // by position
  depth.combine = Combine::kSum;
  depth.second = {"", 2};
  maps.values.push_back(depth);
  auto gyro_only = value("rot_deg_min", "ROT", {"rate_deg_per_min", 0});
  gyro_only.talker = "HE";
  maps.values.push_back(gyro_only);

  SentenceObserver reader(maps);
  rules::Observations o;
  reader.take(checked("$HEHDT,274.5,T") + "\r\n", 1.0, o);
  reader.take(checked("$GPVTG,10.0,T,,M,5.4,N,10.0,K,A"), 2.0, o);
  reader.take(checked("$GPRMC,120000.00,A,5430.000,N,01000.000,E,5.4,10.0,010125,,,A"), 3.0, o);
  reader.take(checked("$GPRMC,120001.00,V,5431.000,N,01000.000,E,5.4,10.0,010125,,,N"), 4.0, o);
  reader.take(checked("$SDDPT,12.5,-1.5"), 5.0, o);
  reader.take(checked("$TIROT,3.0,A"), 6.0, o);  // another talker: not the gyro's
  reader.take(checked("$HEROT,-2.5,A"), 7.0, o);
  reader.take(checked("$HEHDT,,T"), 8.0, o);  // not known: no value

  ASSERT_EQ(o.values.size(), 5U);
  EXPECT_EQ(o.values[0].name, "heading_deg");
  EXPECT_DOUBLE_EQ(o.values[0].value, 274.5);
  EXPECT_EQ(o.values[0].t_s, 1.0);
  EXPECT_EQ(o.values[1].name, "sog_kn");
  EXPECT_NEAR(o.values[1].value, 10.0 / 1.852, 1e-9);
  EXPECT_EQ(o.values[2].name, "lat");
  EXPECT_DOUBLE_EQ(o.values[2].value, 54.5);  // the fix with status V is not taken
  EXPECT_EQ(o.values[3].name, "depth_m");
  EXPECT_DOUBLE_EQ(o.values[3].value, 11.0);
  EXPECT_EQ(o.values[4].name, "rot_deg_min");
  EXPECT_DOUBLE_EQ(o.values[4].value, -2.5);
  const auto f = reader.findings();
  EXPECT_EQ(f[0].key, "observe.sentences.values.heading_deg.field");
  EXPECT_EQ(f[0].seen, 2U);
  EXPECT_EQ(f[0].found, 1U);
  EXPECT_EQ(f[0].nulls, 1U);
  EXPECT_EQ(f[2].seen, 1U);  // RMC with status V does not count
}

SentenceMaps alr_maps() {
  SentenceMaps maps;
  SentenceAlerts a;
  a.condition = AlertPart::kTitle;
  a.subject = AlertPart::kId;
  WordRule lost;
  lost.match = WordMatch::kRegex;
  lost.pattern = "(?i).* lost";
  lost.regex = compile_word_regex(lost.pattern);
  lost.to = "input_lost";
  a.conditions.push_back(lost);
  WordRule gyro;
  gyro.pattern = "001";
  gyro.to = "HE0001";
  a.subjects.push_back(gyro);
  maps.alerts = a;
  return maps;
}

TEST(SentenceObserverTest, AlrRaisesClearsAndAcknowledgesOnceEachInTheTruthsWords) {
  SentenceObserver reader(alr_maps());
  rules::Observations o;
  reader.take(checked("$SIALR,120000.00,001,A,V,gyro lost"), 10.0, o);
  reader.take(checked("$SIALR,120001.00,001,A,V,gyro lost"), 11.0, o);  // repeated: no change
  reader.take(checked("$SIALR,120002.00,001,A,A,gyro lost"), 12.0, o);
  reader.take(checked("$SIALR,120003.00,001,V,A,gyro lost"), 20.0, o);
  reader.take(checked("$SIALR,120004.00,002,A,V,gnss lost"), 30.0, o);  // "002": no entry
  EXPECT_EQ(alerts_text(o),
            "raised input_lost HE0001 @10; acknowledged input_lost HE0001 @12; "
            "cleared input_lost HE0001 @20; raised input_lost 002 @30; ");
  const auto problems = reader.problems();
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_EQ(problems[0].what,
            "observe.sentences.alerts.vocabulary.subject: no entry maps the twin's word \"002\" "
            "(kept as it is)");
  EXPECT_EQ(problems[0].affects, "alerts");
}

SentenceMaps alf_maps() {
  SentenceMaps maps;
  SentenceAlerts a;  // the defaults: condition from the title, subject from the description
  WordRule lost;
  lost.match = WordMatch::kAnyCase;
  lost.pattern = "input lost";
  lost.to = "input_lost";
  a.conditions.push_back(lost);
  WordRule source;
  source.match = WordMatch::kRegex;
  source.pattern = "SOURCE (.+)";
  source.regex = compile_word_regex(source.pattern);
  source.to = "$1";
  a.subjects.push_back(source);
  maps.alerts = a;
  return maps;
}

TEST(SentenceObserverTest, AlfPairsGiveStateAcknowledgementAndTheSubjectOfTheirSecondSentence) {
  SentenceObserver reader(alf_maps());
  rules::Observations o;
  // As the reference twin sends them: title in sentence 1, the subject in sentence 2.
  reader.take(checked("$VRALF,2,1,3,120000.00,B,W,V,TWN,10101,1,1,0,INPUT LOST"), 5.0, o);
  reader.take(checked("$VRALF,2,2,3,,,,,TWN,10101,1,1,0,SOURCE HE0001"), 5.0, o);
  reader.take(checked("$VRALF,2,1,4,120010.00,B,W,A,TWN,10101,1,2,0,INPUT LOST"), 15.0, o);
  reader.take(checked("$VRALF,2,2,4,,,,,TWN,10101,1,2,0,SOURCE HE0001"), 15.0, o);
  reader.take(checked("$VRALF,2,1,5,120020.00,B,W,N,TWN,10101,1,3,0,INPUT LOST"), 25.0, o);
  reader.take(checked("$VRALF,2,2,5,,,,,TWN,10101,1,3,0,SOURCE HE0001"), 25.0, o);
  // Another instance first heard rectified but not acknowledged: its raise was lost.
  reader.take(checked("$VRALF,2,1,6,120030.00,B,W,U,TWN,10101,2,2,0,INPUT LOST"), 35.0, o);
  reader.take(checked("$VRALF,2,2,6,,,,,TWN,10101,2,2,0,SOURCE GP0001"), 35.0, o);
  reader.take(checked("$VRALF,2,1,7,120040.00,B,W,N,TWN,10101,2,3,0,INPUT LOST"), 45.0, o);
  // Its second sentence never comes: taken at the end as it is.
  reader.finish(o);
  EXPECT_EQ(alerts_text(o),
            "raised input_lost HE0001 @5; acknowledged input_lost HE0001 @15; "
            "cleared input_lost HE0001 @25; raised input_lost GP0001 @35; "
            "cleared input_lost GP0001 @35; acknowledged input_lost GP0001 @45; ");
  EXPECT_TRUE(reader.problems().empty());
}

TEST(SentenceObserverTest, AlcRaisesWhatNoAlfToldOfAndClearsItWhenAWholeListLeavesItOut) {
  SentenceMaps maps;
  SentenceAlerts a;
  a.condition = AlertPart::kId;
  a.subject = AlertPart::kInstance;
  WordRule fire;
  fire.pattern = "10108";
  fire.to = "fire";
  fire.subject = "ship";
  a.conditions.push_back(fire);
  maps.alerts = a;
  SentenceObserver reader(maps);
  rules::Observations o;
  reader.take(checked("$VRALC,02,01,07,1,TWN,10108,1,1"), 30.0, o);
  reader.take(checked("$VRALC,02,02,07,1,TWN,10109,1,1"), 30.0, o);
  reader.take(checked("$VRALC,02,01,08,1,TWN,10108,1,1"), 60.0, o);
  reader.take(checked("$VRALC,02,02,08,0"), 60.0, o);
  EXPECT_EQ(alerts_text(o), "raised fire ship @30; raised 10109 1 @30; cleared 10109 1 @60; ");
  // An ALF tells of the fire's end: the list no longer raises it.
  reader.take(checked("$VRALF,1,1,1,120100.00,B,A,N,TWN,10108,1,2,0,FIRE"), 70.0, o);
  reader.take(checked("$VRALC,01,01,09,1,TWN,10108,1,2"), 90.0, o);
  EXPECT_THAT(alerts_text(o), HasSubstr("cleared fire ship @70; "));
  EXPECT_EQ(alerts_text(o).find("@90"), std::string::npos) << alerts_text(o);
}

TEST(SentenceObserverTest, AcnAcknowledgesAndArcIsReported) {
  SentenceObserver reader(alf_maps());
  rules::Observations o;
  reader.take(checked("$VRALF,2,1,3,120000.00,B,W,V,TWN,10101,1,1,0,INPUT LOST"), 5.0, o);
  reader.take(checked("$VRALF,2,2,3,,,,,TWN,10101,1,1,0,SOURCE HE0001"), 5.0, o);
  reader.take(checked("$VRACN,120005.00,TWN,10101,1,A,C"), 9.0, o);
  reader.take(checked("$VRACN,120006.00,TWN,10101,1,A,C"), 10.0, o);  // once
  reader.take(checked("$VRARC,120007.00,TWN,10101,1,O"), 11.0, o);
  EXPECT_EQ(alerts_text(o), "raised input_lost HE0001 @5; acknowledged input_lost HE0001 @9; ");
  const auto problems = reader.problems();
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_EQ(problems[0].what,
            "observe.sentences.alerts: the twin refused command O for alert 10101.1 (ARC)");
}

// What the twin emits is untrusted: garbage, half sentences and alert sentences without the
// fields they need are counted or passed over, never a crash or an observation.
TEST(SentenceObserverTest, UnreadableSentencesAreCountedNeverACrash) {
  SentenceMaps maps = alf_maps();
  maps.alerts->from = {"ALR", "ALF", "ALC", "ACN", "ARC"};
  maps.values.push_back(value("heading_deg", "HDT", {"", 1}));
  SentenceObserver reader(maps);
  rules::Observations o;
  for (const std::string& line :
       {std::string(), std::string("$"), std::string("garbage\xff\x00", 9),
        checked("$VRALF,2,2,3,,,,,TWN,10101,1,1,0,SOURCE HE0001"), checked("$VRALF,,,,,,,,,,,,,"),
        checked("$VRALR,,,,,"), checked("$VRALC,,,,"), checked("$VRALC,99,1,1,1,TWN"),
        checked("$VRACN,,,,,,"), checked("$HEHDT,abc,T"), checked("$HEHDT"),
        std::string("$HEHDT,1.0,T*00")}) {
    reader.take(line, 1.0, o);
  }
  reader.finish(o);
  EXPECT_TRUE(o.alerts.empty()) << alerts_text(o);
  EXPECT_TRUE(o.values.empty());
  std::string problems;
  for (const auto& p : reader.problems()) problems += p.what + "\n";
  EXPECT_THAT(problems, HasSubstr("an ALF's second sentence without its first"));
  EXPECT_THAT(problems, HasSubstr("an ALR without its alarm number or condition"));
  EXPECT_THAT(problems, HasSubstr("an ALC without its sentence numbers"));
  const auto f = reader.findings();
  EXPECT_EQ(f[0].seen, 2U);
  EXPECT_EQ(f[0].absent, 2U);  // "abc", and no field 1 at all
}

class SentenceMapsConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::mt19937_64 names(std::random_device{}());
    path_ = std::filesystem::temp_directory_path() /
            ("twincert-sentence-maps-" + std::to_string(names()) + ".json");
  }
  void TearDown() override { std::filesystem::remove(path_); }

  // The message of loading an adapter whose observe.sentences is `sentences`.
  std::string error_of(const std::string& sentences) const {
    std::ofstream(path_) << R"({"schema": "twincert.adapter/1", "name": "t",
      "start": {"command": ["/bin/true"], "ready": {"port": "127.0.0.1:1"}},
      "send": "udp://127.0.0.1:9", "observe": {"nmea": ["udp://127.0.0.1:${port.out}"],
      "sentences": )" + sentences +
                                "}}";
    try {
      (void)load_adapter(path_);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }

  std::filesystem::path path_;
};

TEST_F(SentenceMapsConfigTest, ABadMapIsAnErrorNamingTheKeyAndWhatWasExpected) {
  const std::string at = path_.string() + ": observe.sentences.";
  EXPECT_EQ(error_of(R"({"values": {"heading_deg": {"sentence": "HDT", "field": "heading"}}})"),
            at + "values.heading_deg.field: HDT has no field \"heading\" (its fields: "
                 "heading_true_deg; or give a position, 1 to 99)");
  EXPECT_EQ(error_of(R"({"values": {"heading_deg": {"sentence": "ZZZ", "field": "x"}}})"),
            at + "values.heading_deg.field: twincert has no decoder for ZZZ sentences: give the "
                 "field's position (1 to 99) instead of \"x\"");
  EXPECT_EQ(error_of(R"({"values": {"sog_kn": {"sentence": "VTG", "field": 7, "unit": "m"}}})"),
            at + "values.sog_kn.unit: \"m\" is a length, but sog_kn is a speed (in kn)");
  EXPECT_EQ(error_of(R"({"values": {"lat": {"sentence": "hdt", "field": 1}}})"),
            at + "values.lat.sentence: \"hdt\" (a formatter such as \"HDT\", or a talker and "
                 "formatter: \"HEHDT\")");
  EXPECT_EQ(error_of(R"({"alerts": {"from": ["ALR", "XYZ"]}})"),
            at + "alerts.from: \"XYZ\" (alerts come from ALR, ALF, ALC, ACN, ARC)");
  EXPECT_EQ(error_of(R"({"alerts": {"subject": "name"}})"),
            at + "alerts.subject: one of \"id\", \"instance\", \"title\", \"description\" or "
                 "{\"constant\": WORD}");
  EXPECT_THAT(error_of(R"({"alerts": {"vocabulary": {"condition": [{"regex": "(", "to": "x"}]}}})"),
              HasSubstr("alerts.vocabulary.condition[0].regex: \"(\" is not a regex"));
  EXPECT_EQ(error_of(R"({"values": {"depth_m": {"sentence": "DPT", "sum": ["depth_m", 2]},
                                    "heading_deg": {"sentence": "HEHDT", "field": 1}},
                         "alerts": {"from": ["ALR"], "condition": "id",
                                    "subject": {"constant": "ship"}}})"),
            "");
}

TEST(SentenceFieldNamesTest, NamesTheTypedDecodersFields) {
  EXPECT_THAT(*sentence_field_names("HDT"), ElementsAre("heading_true_deg"));
  EXPECT_FALSE(sentence_field_names("ZZZ").has_value());
}

}  // namespace
}  // namespace twincert::harness
