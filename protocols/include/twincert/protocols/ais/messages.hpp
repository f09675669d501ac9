// ITU-R M.1371 messages a VDR twin sees: 1/2/3 (class A position), 5 (static and voyage data),
// 18 (class B position), 19 (extended class B), 24 part A/B (class B static data).
//
// Each message declares its bit layout once in `bits(self, codec)` (field, width): BitReader
// decodes and BitWriter encodes through the same declaration. Values are kept in their raw
// transmitted units (1/10000 minute, 0.1 kn, ...) so encode(decode(x)) == x; the helpers below
// convert to degrees and knots and map the "not available" values to nullopt. Layouts:
// ITU-R M.1371 as published by gpsd AIVDM.adoc (docs/sources.md). Values are thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "twincert/protocols/ais/sixbit.hpp"
#include "twincert/protocols/result.hpp"

namespace twincert::ais {

// "Not available" values.
inline constexpr std::int32_t kLongitudeNotAvailable = 181 * 600000;  // 0x6791AC0
inline constexpr std::int32_t kLatitudeNotAvailable = 91 * 600000;    // 0x3412140
inline constexpr std::uint32_t kSogNotAvailable = 1023;
inline constexpr std::uint32_t kCogNotAvailable = 3600;
inline constexpr std::uint32_t kHeadingNotAvailable = 511;
inline constexpr std::int32_t kRateOfTurnNotAvailable = -128;

// Bits 0-138 of types 18 and 19 (type 19 is "as type 18" up to the time stamp): the members
// and their layout, declared once.
template <std::uint32_t kType>
struct ClassBPosition {
  std::uint32_t message_type = kType;
  std::uint32_t repeat = 0;
  std::uint32_t mmsi = 0;
  std::uint32_t reserved = 0;
  std::uint32_t sog = kSogNotAvailable;
  bool position_accuracy = false;
  std::int32_t longitude = kLongitudeNotAvailable;
  std::int32_t latitude = kLatitudeNotAvailable;
  std::uint32_t cog = kCogNotAvailable;
  std::uint32_t true_heading = kHeadingNotAvailable;
  std::uint32_t timestamp = 60;

  static void position_bits(auto& s, auto& c) {
    c.u(s.message_type, 6);
    c.u(s.repeat, 2);
    c.u(s.mmsi, 30);
    c.u(s.reserved, 8);
    c.u(s.sog, 10);
    c.b(s.position_accuracy);
    c.s(s.longitude, 28);
    c.s(s.latitude, 27);
    c.u(s.cog, 12);
    c.u(s.true_heading, 9);
    c.u(s.timestamp, 6);
  }
  friend bool operator==(const ClassBPosition&, const ClassBPosition&) = default;
};

// Types 1, 2, 3: class A position report (168 bits).
struct PositionReportClassA {
  static constexpr std::size_t kBits = 168;
  static constexpr std::size_t kMinBits = 168;
  std::uint32_t message_type = 1;
  std::uint32_t repeat = 0;
  std::uint32_t mmsi = 0;
  std::uint32_t navigation_status = 15;
  std::int32_t rate_of_turn = kRateOfTurnNotAvailable;  // ROT_AIS = 4.733 * sqrt(deg/min)
  std::uint32_t sog = kSogNotAvailable;                 // 0.1 kn
  bool position_accuracy = false;
  std::int32_t longitude = kLongitudeNotAvailable;  // 1/10000 minute
  std::int32_t latitude = kLatitudeNotAvailable;    // 1/10000 minute
  std::uint32_t cog = kCogNotAvailable;             // 0.1 degree
  std::uint32_t true_heading = kHeadingNotAvailable;
  std::uint32_t timestamp = 60;  // UTC second; 60 n/a, 61 manual, 62 DR, 63 inoperative
  std::uint32_t maneuver = 0;
  std::uint32_t spare = 0;
  bool raim = false;
  std::uint32_t radio_status = 0;

  static void bits(auto& s, auto& c) {
    c.u(s.message_type, 6);
    c.u(s.repeat, 2);
    c.u(s.mmsi, 30);
    c.u(s.navigation_status, 4);
    c.s(s.rate_of_turn, 8);
    c.u(s.sog, 10);
    c.b(s.position_accuracy);
    c.s(s.longitude, 28);
    c.s(s.latitude, 27);
    c.u(s.cog, 12);
    c.u(s.true_heading, 9);
    c.u(s.timestamp, 6);
    c.u(s.maneuver, 2);
    c.u(s.spare, 3);
    c.b(s.raim);
    c.u(s.radio_status, 19);
  }
  friend bool operator==(const PositionReportClassA&, const PositionReportClassA&) = default;
};

// Type 5: static and voyage related data (424 bits, two sentences; 420/422 seen in the wild).
struct StaticAndVoyageData {
  static constexpr std::size_t kBits = 424;
  static constexpr std::size_t kMinBits = 420;
  std::uint32_t message_type = 5;
  std::uint32_t repeat = 0;
  std::uint32_t mmsi = 0;
  std::uint32_t ais_version = 0;
  std::uint32_t imo = 0;
  std::string call_sign;  // 7 characters
  std::string name;       // 20 characters
  std::uint32_t ship_type = 0;
  std::uint32_t to_bow = 0;
  std::uint32_t to_stern = 0;
  std::uint32_t to_port = 0;
  std::uint32_t to_starboard = 0;
  std::uint32_t epfd = 0;
  std::uint32_t eta_month = 0;
  std::uint32_t eta_day = 0;
  std::uint32_t eta_hour = 24;
  std::uint32_t eta_minute = 60;
  std::uint32_t draught = 0;  // 0.1 m
  std::string destination;    // 20 characters
  bool dte = true;
  std::uint32_t spare = 0;

  static void bits(auto& s, auto& c) {
    c.u(s.message_type, 6);
    c.u(s.repeat, 2);
    c.u(s.mmsi, 30);
    c.u(s.ais_version, 2);
    c.u(s.imo, 30);
    c.text(s.call_sign, 7);
    c.text(s.name, 20);
    c.u(s.ship_type, 8);
    c.u(s.to_bow, 9);
    c.u(s.to_stern, 9);
    c.u(s.to_port, 6);
    c.u(s.to_starboard, 6);
    c.u(s.epfd, 4);
    c.u(s.eta_month, 4);
    c.u(s.eta_day, 5);
    c.u(s.eta_hour, 5);
    c.u(s.eta_minute, 6);
    c.u(s.draught, 8);
    c.text(s.destination, 20);
    c.b(s.dte);
    c.u(s.spare, 1);
  }
  friend bool operator==(const StaticAndVoyageData&, const StaticAndVoyageData&) = default;
};

// Type 18: class B CS position report (168 bits).
struct ClassBPositionReport : ClassBPosition<18> {
  static constexpr std::size_t kBits = 168;
  static constexpr std::size_t kMinBits = 168;
  std::uint32_t regional = 0;
  bool cs_unit = true;
  bool display = false;
  bool dsc = false;
  bool band = false;
  bool message22 = false;
  bool assigned = false;
  bool raim = false;
  std::uint32_t radio_status = 0;

  static void bits(auto& s, auto& c) {
    position_bits(s, c);
    c.u(s.regional, 2);
    c.b(s.cs_unit);
    c.b(s.display);
    c.b(s.dsc);
    c.b(s.band);
    c.b(s.message22);
    c.b(s.assigned);
    c.b(s.raim);
    c.u(s.radio_status, 20);
  }
  friend bool operator==(const ClassBPositionReport&, const ClassBPositionReport&) = default;
};

// Type 19: extended class B position report (312 bits).
struct ExtendedClassBPositionReport : ClassBPosition<19> {
  static constexpr std::size_t kBits = 312;
  static constexpr std::size_t kMinBits = 312;
  std::uint32_t regional = 0;
  std::string name;  // 20 characters
  std::uint32_t ship_type = 0;
  std::uint32_t to_bow = 0;
  std::uint32_t to_stern = 0;
  std::uint32_t to_port = 0;
  std::uint32_t to_starboard = 0;
  std::uint32_t epfd = 0;
  bool raim = false;
  bool dte = true;
  bool assigned = false;
  std::uint32_t spare = 0;

  static void bits(auto& s, auto& c) {
    position_bits(s, c);
    c.u(s.regional, 4);
    c.text(s.name, 20);
    c.u(s.ship_type, 8);
    c.u(s.to_bow, 9);
    c.u(s.to_stern, 9);
    c.u(s.to_port, 6);
    c.u(s.to_starboard, 6);
    c.u(s.epfd, 4);
    c.b(s.raim);
    c.b(s.dte);
    c.b(s.assigned);
    c.u(s.spare, 4);
  }
  friend bool operator==(const ExtendedClassBPositionReport&,
                         const ExtendedClassBPositionReport&) = default;
};

// Type 24 part A: vessel name (160 bits; 168 with the often-omitted spare byte).
struct StaticDataReportA {
  static constexpr std::size_t kBits = 168;
  static constexpr std::size_t kMinBits = 160;
  std::uint32_t message_type = 24;
  std::uint32_t repeat = 0;
  std::uint32_t mmsi = 0;
  std::uint32_t part = 0;
  std::string name;  // 20 characters
  std::uint32_t spare = 0;

  static void bits(auto& s, auto& c) {
    c.u(s.message_type, 6);
    c.u(s.repeat, 2);
    c.u(s.mmsi, 30);
    c.u(s.part, 2);
    c.text(s.name, 20);
    c.u(s.spare, 8);
  }
  friend bool operator==(const StaticDataReportA&, const StaticDataReportA&) = default;
};

// Type 24 part B: ship type, vendor, call sign, dimensions (or mothership MMSI) (168 bits).
struct StaticDataReportB {
  static constexpr std::size_t kBits = 168;
  static constexpr std::size_t kMinBits = 168;
  std::uint32_t message_type = 24;
  std::uint32_t repeat = 0;
  std::uint32_t mmsi = 0;
  std::uint32_t part = 1;
  std::uint32_t ship_type = 0;
  std::string vendor_id;  // 3 characters
  std::uint32_t unit_model = 0;
  std::uint32_t serial_number = 0;
  std::string call_sign;  // 7 characters
  // The next 30 bits are either the dimensions or, for an auxiliary craft (MMSI 98MIDxxxx), the
  // mothership's MMSI: see mothership_mmsi().
  std::uint32_t to_bow = 0;
  std::uint32_t to_stern = 0;
  std::uint32_t to_port = 0;
  std::uint32_t to_starboard = 0;
  std::uint32_t spare = 0;

  static void bits(auto& s, auto& c) {
    c.u(s.message_type, 6);
    c.u(s.repeat, 2);
    c.u(s.mmsi, 30);
    c.u(s.part, 2);
    c.u(s.ship_type, 8);
    c.text(s.vendor_id, 3);
    c.u(s.unit_model, 4);
    c.u(s.serial_number, 20);
    c.text(s.call_sign, 7);
    c.u(s.to_bow, 9);
    c.u(s.to_stern, 9);
    c.u(s.to_port, 6);
    c.u(s.to_starboard, 6);
    c.u(s.spare, 6);
  }
  std::uint32_t mothership_mmsi() const noexcept {
    return (to_bow << 21U) | (to_stern << 12U) | (to_port << 6U) | to_starboard;
  }
  friend bool operator==(const StaticDataReportB&, const StaticDataReportB&) = default;
};

using Message = std::variant<PositionReportClassA, StaticAndVoyageData, ClassBPositionReport,
                             ExtendedClassBPositionReport, StaticDataReportA, StaticDataReportB>;

// Decodes a de-armoured payload. Errors: kAisTooShort, kUnsupportedAisType, kBadFieldFormat.
Result<Message> decode_message(const BitBuffer& bits) noexcept;
// Armoured payload to message (dearmor + decode_message).
Result<Message> decode_payload(std::string_view payload, int fill_bits) noexcept;

BitBuffer encode_message(const Message& message);

// MMSI of any message.
std::uint32_t mmsi_of(const Message& message);

// Unit conversions; nullopt for "not available".
std::optional<double> longitude_deg(std::int32_t raw) noexcept;
std::optional<double> latitude_deg(std::int32_t raw) noexcept;
std::optional<double> sog_kn(std::uint32_t raw) noexcept;
std::optional<double> cog_deg(std::uint32_t raw) noexcept;
std::optional<std::uint32_t> heading_deg(std::uint32_t raw) noexcept;
// Degrees to 1/10000 minute, rounded.
std::int32_t to_position_raw(double degrees) noexcept;

}  // namespace twincert::ais
