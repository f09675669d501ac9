// Typed sentences: decoding of published examples, values in their units, strict/lenient rules.
#include <cmath>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/protocols/nmea0183/registry.hpp"
#include "twincert/protocols/nmea0183/sentences/alf.hpp"
#include "twincert/protocols/nmea0183/sentences/dbt.hpp"
#include "twincert/protocols/nmea0183/sentences/fir.hpp"
#include "twincert/protocols/nmea0183/sentences/gga.hpp"
#include "twincert/protocols/nmea0183/sentences/gsv.hpp"
#include "twincert/protocols/nmea0183/sentences/hdt.hpp"
#include "twincert/protocols/nmea0183/sentences/mwd.hpp"
#include "twincert/protocols/nmea0183/sentences/rmc.hpp"
#include "twincert/protocols/nmea0183/sentences/rsa.hpp"
#include "twincert/protocols/nmea0183/sentences/ths.hpp"
#include "twincert/protocols/nmea0183/sentences/trc.hpp"
#include "twincert/protocols/nmea0183/sentences/vdm.hpp"
#include "twincert/protocols/nmea0183/sentences/vtg.hpp"
#include "twincert/protocols/nmea0183/sentences/xdr.hpp"
#include "twincert/protocols/nmea0183/sentences/zda.hpp"

#include "matchers.hpp"

namespace twincert::nmea0183 {
namespace {

using ::testing::DoubleNear;
using ::testing::Optional;

// Parses and decodes in one step; the sentence text must outlive nothing (values own data).
template <class T>
Result<T> decode_text(const std::string& text, Mode mode = Mode::kStrict,
                      Violations* violations = nullptr) {
  const auto raw = parse_sentence(text, Mode::kLenient);
  if (!raw) return raw.error();
  return decode<T>(*raw, mode, violations);
}

std::string with_checksum(char start, const std::string& body) {
  const auto suffix = checksum_suffix(checksum_of(body));
  return start + body + std::string(suffix.data(), suffix.size());
}

TEST(GgaTest, DecodesThePublishedExample) {
  const auto gga =
      decode_text<Gga>("$GNGGA,001043.00,4404.14036,N,12118.85961,W,1,12,0.98,1113.0,M,-21.3,M*47");
  ASSERT_THAT(gga, IsOk());
  ASSERT_TRUE(gga->time.has_value());
  EXPECT_EQ(gga->time->hour, 0);
  EXPECT_EQ(gga->time->minute, 10);
  EXPECT_DOUBLE_EQ(gga->time->second.value(), 43.0);
  ASSERT_TRUE(gga->latitude && gga->longitude);
  EXPECT_NEAR(gga->latitude->degrees(), 44.0 + 4.14036 / 60.0, 1e-12);
  EXPECT_NEAR(gga->longitude->degrees(), -(121.0 + 18.85961 / 60.0), 1e-12);
  EXPECT_EQ(gga->quality, 1);
  EXPECT_EQ(gga->satellites_in_use, 12);
  EXPECT_DOUBLE_EQ(gga->hdop->value(), 0.98);
  EXPECT_DOUBLE_EQ(gga->geoid_separation_m->value(), -21.3);
  EXPECT_FALSE(gga->dgps_age_s.has_value());
  EXPECT_FALSE(gga->dgps_station.has_value());
}

TEST(GgaTest, EncodesBackToTheSameSentence) {
  const std::string text =
      "$GNGGA,001043.00,4404.14036,N,12118.85961,W,1,12,0.98,1113.0,M,-21.3,M,,*47\r\n";
  const auto gga = decode_text<Gga>(text);
  ASSERT_THAT(gga, IsOk());
  EXPECT_EQ(encode(*gga, "GN"), with_checksum('$',
                                              "GNGGA,001043.00,4404.14036,N,12118.85961,W,1,"
                                              "12,0.98,1113.0,M,-21.3,M,,") +
                                    "\r\n");
}

TEST(RmcTest, DecodesThePublishedExampleWithEmptyFields) {
  const auto rmc =
      decode_text<Rmc>("$GNRMC,001031.00,A,4404.13993,N,12118.86023,W,0.146,,100117,,,A*7B");
  ASSERT_THAT(rmc, IsOk());
  EXPECT_EQ(rmc->status, 'A');
  EXPECT_DOUBLE_EQ(rmc->sog_kn->value(), 0.146);
  EXPECT_FALSE(rmc->cog_true_deg.has_value());
  EXPECT_EQ(rmc->date, (DayMonthYear{10, 1, 17}));
  EXPECT_EQ(rmc->mode, 'A');
  EXPECT_FALSE(rmc->navigational_status.has_value());  // NMEA 4.1 field omitted
}

TEST(RmcTest, LatitudeMinutesOfSixtyOrMoreAreOutOfRange) {
  const std::string text =
      with_checksum('$', "GPRMC,090000.00,A,5361.2000,N,00832.1100,E,12.4,045.2,221125,,,A");
  EXPECT_THAT(decode_text<Rmc>(text), HasFieldError(ErrorCode::kFieldOutOfRange, 19, 3));
  Violations v;
  const auto lenient = decode_text<Rmc>(text, Mode::kLenient, &v);
  ASSERT_THAT(lenient, IsOk());
  EXPECT_TRUE(v.has(ErrorCode::kFieldOutOfRange));
  EXPECT_EQ(to_string(v.first()[0], text),
            "FieldOutOfRange at 19 field 3: latitude minutes \"5361.2000\"");
}

TEST(RmcTest, UnreadableFieldIsNullInLenientAndAnErrorInStrict) {
  // Seen in a real receiver log: a broken date with a valid checksum.
  const std::string text = "$GPRMC,000231.099,A,4829.0005,N,00022.0015,E,0.15,212.28,2208-1,,,A*73";
  EXPECT_THAT(decode_text<Rmc>(text), HasFieldError(ErrorCode::kBadFieldFormat, 57, 9));
  Violations v;
  const auto rmc = decode_text<Rmc>(text, Mode::kLenient, &v);
  ASSERT_THAT(rmc, IsOk());
  EXPECT_FALSE(rmc->date.has_value());
  EXPECT_TRUE(rmc->latitude.has_value());
  EXPECT_TRUE(v.has(ErrorCode::kBadFieldFormat));
}

TEST(HdtTest, DecodesAndRejectsWrongUnitInBothModes) {
  const auto hdt = decode_text<Hdt>("$GPHDT,274.07,T*03");
  ASSERT_THAT(hdt, IsOk());
  EXPECT_DOUBLE_EQ(hdt->heading_true_deg->value(), 274.07);
  const std::string wrong = with_checksum('$', "GPHDT,274.07,M");
  EXPECT_THAT(decode_text<Hdt>(wrong, Mode::kLenient), HasFieldError(ErrorCode::kBadUnit, 14, 2));
}

TEST(HdtTest, HeadingOutOfRangeIsStrictErrorAndLenientViolation) {
  const std::string text = with_checksum('$', "HEHDT,361.0,T");
  EXPECT_THAT(decode_text<Hdt>(text), HasFieldError(ErrorCode::kFieldOutOfRange, 7, 1));
  Violations v;
  EXPECT_THAT(decode_text<Hdt>(text, Mode::kLenient, &v), IsOk());
  EXPECT_TRUE(v.has(ErrorCode::kFieldOutOfRange));
}

TEST(ThsTest, DecodesModeLetter) {
  const auto ths = decode_text<Ths>("$HETHS,316.70,E*1A");
  ASSERT_THAT(ths, IsOk());
  EXPECT_DOUBLE_EQ(ths->heading_true_deg->value(), 316.70);
  EXPECT_EQ(ths->mode, 'E');
  EXPECT_THAT(decode_text<Ths>(with_checksum('$', "HETHS,316.70,Q")),
              HasFieldError(ErrorCode::kFieldOutOfRange, 14, 2));
}

TEST(DbtTest, DecodesMetresOnly) {
  const auto dbt = decode_text<Dbt>("$SDDBT,7.8,f,2.4,M,1.3,F*0D");
  ASSERT_THAT(dbt, IsOk());
  EXPECT_DOUBLE_EQ(dbt->depth_m->value(), 2.4);
  EXPECT_DOUBLE_EQ(dbt->depth_fathoms->value(), 1.3);
}

TEST(MwdTest, DecodesThePublishedExample) {
  const auto mwd = decode_text<Mwd>("$WIMWD,302.4,T,289.6,M,10.5,N,5.4,M*6F");
  ASSERT_THAT(mwd, IsOk());
  EXPECT_DOUBLE_EQ(mwd->direction_true_deg->value(), 302.4);
  EXPECT_DOUBLE_EQ(mwd->speed_ms->value(), 5.4);
}

TEST(RsaTest, DecodesSignedRudderAngles) {
  const auto rsa = decode_text<Rsa>("$RCRSA,-22.0,A,34.0,A*7B");
  ASSERT_THAT(rsa, IsOk());
  EXPECT_DOUBLE_EQ(rsa->starboard_deg->value(), -22.0);
  EXPECT_EQ(rsa->port_status, 'A');
}

TEST(FirTest, DecodesThePublishedDisablementExample) {
  const auto fir = decode_text<Fir>("$FRFIR,D,000000,FD,,,,A,,PANEL 01 ZONE 03 DISABLED*38");
  ASSERT_THAT(fir, IsOk());
  EXPECT_EQ(fir->message_type, 'D');
  EXPECT_EQ(fir->system_type, "FD");
  EXPECT_EQ(fir->condition, 'A');
  EXPECT_EQ(fir->description, "PANEL 01 ZONE 03 DISABLED");
}

TEST(TrcTest, DecodesThePublishedExample) {
  const auto trc = decode_text<Trc>(with_checksum('$', "RCTRC,2,402.6,R,,V,88.3,B,C"));
  ASSERT_THAT(trc, IsOk());
  EXPECT_EQ(trc->number, 2);
  EXPECT_DOUBLE_EQ(trc->rpm_demand->value(), 402.6);
  EXPECT_EQ(trc->pitch_mode, 'V');
  EXPECT_DOUBLE_EQ(trc->azimuth_demand_deg->value(), 88.3);
  EXPECT_EQ(trc->sentence_status, 'C');
}

TEST(AlfTest, DecodesAnAlertWithEscapedText) {
  const auto alf = decode_text<Alf>(
      with_checksum('$', "VRALF,1,1,0,090006.00,B,W,V,,3015,1,1,0,HEADING^2C GYRO LOST"));
  ASSERT_THAT(alf, IsOk());
  EXPECT_EQ(alf->priority, 'W');
  EXPECT_EQ(alf->state, 'V');
  EXPECT_FALSE(alf->manufacturer.has_value());
  EXPECT_EQ(alf->alert_id, 3015);
  EXPECT_EQ(alf->text, "HEADING, GYRO LOST");
}

TEST(XdrTest, DecodesRepeatedQuadruplets) {
  const auto xdr =
      decode_text<Xdr>(with_checksum('$', "HCXDR,A,171,D,PITCH,A,-37,D,ROLL,G,367,,MAGX"));
  ASSERT_THAT(xdr, IsOk());
  ASSERT_EQ(xdr->measurements.size(), 3U);
  EXPECT_EQ(xdr->measurements[1].name, "ROLL");
  EXPECT_DOUBLE_EQ(xdr->measurements[1].value->value(), -37);
  EXPECT_FALSE(xdr->measurements[2].unit.has_value());
}

TEST(GsvTest, DecodesEntriesAndTheOptionalSignalId) {
  const auto gsv = decode_text<Gsv>(
      with_checksum('$', "GAGSV,2,1,07,02,44,288,40,07,19,045,33,08,53,185,42,25,44,118,41,7"));
  ASSERT_THAT(gsv, IsOk());
  EXPECT_EQ(gsv->satellites.size(), 4U);
  EXPECT_EQ(gsv->satellites[3].snr_dbhz, 41);
  EXPECT_EQ(gsv->signal_id, "7");
  const auto short_gsv = decode_text<Gsv>(with_checksum('$', "GPGSV,3,3,09,30,12,300,"));
  ASSERT_THAT(short_gsv, IsOk());
  ASSERT_EQ(short_gsv->satellites.size(), 1U);
  EXPECT_FALSE(short_gsv->satellites[0].snr_dbhz.has_value());
}

TEST(ZdaTest, AcceptsExplicitPlusOnlyInLenientMode) {
  const std::string text = "$GPZDA,005947.00,08,07,2010,+00,00*4E";  // a real receiver's output
  EXPECT_THAT(decode_text<Zda>(text), HasFieldError(ErrorCode::kBadFieldFormat, 28, 5));
  Violations v;
  const auto zda = decode_text<Zda>(text, Mode::kLenient, &v);
  ASSERT_THAT(zda, IsOk());
  EXPECT_EQ(zda->zone_hours, 0);
  EXPECT_EQ(zda->year, 2010);
}

TEST(VtgTest, TooManyFieldsIsStrictErrorAndLenientViolation) {
  const std::string text = with_checksum('$', "GPVTG,045.2,T,044.0,M,12.4,N,23.0,K,A,EXTRA");
  EXPECT_THAT(decode_text<Vtg>(text), HasFieldError(ErrorCode::kTooManyFields, 39, 10));
  Violations v;
  EXPECT_THAT(decode_text<Vtg>(text, Mode::kLenient, &v), IsOk());
  EXPECT_TRUE(v.has(ErrorCode::kTooManyFields));
}

TEST(VdmTest, DecodesTheEnvelope) {
  const auto vdm = decode_text<Vdm>("!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C");
  ASSERT_THAT(vdm, IsOk());
  EXPECT_EQ(vdm->total_fragments, 1);
  EXPECT_FALSE(vdm->sequential_id.has_value());
  EXPECT_EQ(vdm->channel, 'B');
  EXPECT_EQ(vdm->payload, "177KQJ5000G?tO`K>RA1wUbN0TKH");
}

TEST(DecodeTest, RefusesASentenceOfAnotherType) {
  EXPECT_THAT(decode_text<Gga>("$GPHDT,274.07,T*03"), HasErrorAt(ErrorCode::kBadAddress, 1));
}

TEST(GeoAngleTest, ConvertsDegreesBothWaysAndCarriesRoundedMinutes) {
  const auto lat = GeoAngle::latitude(-33.5, 4);
  EXPECT_EQ(lat.hemisphere, 'S');
  EXPECT_EQ(lat.degrees_minutes, (Decimal{33300000, 4}));
  EXPECT_DOUBLE_EQ(lat.degrees(), -33.5);
  // 59.99999' rounds to the next whole degree, never to "60.0000" minutes.
  const auto lon = GeoAngle::longitude(8.99999999, 4);
  EXPECT_EQ(lon.degrees_minutes, (Decimal{9000000, 4}));
}

TEST(RegistryTest, HasEveryRequiredSentenceSortedAndFindable) {
  const std::vector<std::string> required = {
      "GGA", "RMC", "GLL", "VTG", "ZDA", "GNS", "HDT", "HDG", "THS", "ROT", "VBW",
      "VHW", "VLW", "DPT", "DBT", "MTW", "MWV", "MWD", "RSA", "RPM", "XDR", "TTM",
      "TLL", "OSD", "HRM", "DOR", "FIR", "WAT", "ETL", "PRC", "TRC", "TXT", "ALR",
      "ALF", "ALC", "ACN", "ARC", "HBT", "VDM", "VDO", "GSA", "GSV"};
  EXPECT_EQ(sentence_types().size(), required.size());
  for (const auto& f : required) {
    const SentenceType* t = find_sentence_type(f);
    ASSERT_NE(t, nullptr) << f;
    EXPECT_EQ(t->formatter, f);
    EXPECT_FALSE(t->title.empty());
  }
  EXPECT_EQ(find_sentence_type("XYZ"), nullptr);
}

TEST(RegistryTest, DescribesFieldsByName) {
  const auto raw = parse_sentence("$HETHS,316.70,E*1A", Mode::kStrict);
  ASSERT_THAT(raw, IsOk());
  const auto values = find_sentence_type("THS")->describe(*raw, Mode::kStrict, nullptr);
  ASSERT_THAT(values, IsOk());
  ASSERT_EQ(values->size(), 2U);
  EXPECT_EQ((*values)[0].name, "heading_true_deg");
  EXPECT_DOUBLE_EQ(std::get<double>((*values)[0].value), 316.70);
  EXPECT_EQ(std::get<std::string>((*values)[1].value), "E");
}

}  // namespace
}  // namespace twincert::nmea0183
