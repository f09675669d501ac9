#include "twincert/harness/units.hpp"

#include <array>
#include <numbers>

namespace twincert::harness::units {

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kNauticalMileM = 1852.0;  // by definition (BIPM SI brochure, table 8)

constexpr std::array kUnits = {
    Unit{"m/s", Dimension::kSpeed, 1.0, 0.0},
    Unit{"kn", Dimension::kSpeed, kNauticalMileM / 3600.0, 0.0},
    Unit{"km/h", Dimension::kSpeed, 1000.0 / 3600.0, 0.0},
    Unit{"rad", Dimension::kAngle, 1.0, 0.0},
    Unit{"deg", Dimension::kAngle, kPi / 180.0, 0.0},
    Unit{"rad/s", Dimension::kAngularRate, 1.0, 0.0},
    Unit{"deg/s", Dimension::kAngularRate, kPi / 180.0, 0.0},
    Unit{"deg/min", Dimension::kAngularRate, kPi / 180.0 / 60.0, 0.0},
    Unit{"m", Dimension::kLength, 1.0, 0.0},
    Unit{"ft", Dimension::kLength, 0.3048, 0.0},      // international foot
    Unit{"fathom", Dimension::kLength, 1.8288, 0.0},  // 6 ft
    Unit{"nmi", Dimension::kLength, kNauticalMileM, 0.0},
    Unit{"K", Dimension::kTemperature, 1.0, 0.0},
    Unit{"°C", Dimension::kTemperature, 1.0, 273.15},
    Unit{"Pa", Dimension::kPressure, 1.0, 0.0},
    Unit{"hPa", Dimension::kPressure, 100.0, 0.0},
    Unit{"bar", Dimension::kPressure, 100'000.0, 0.0},
    Unit{"Hz", Dimension::kFrequency, 1.0, 0.0},
    Unit{"rpm", Dimension::kFrequency, 1.0 / 60.0, 0.0},
    Unit{"ratio", Dimension::kRatio, 1.0, 0.0},
    Unit{"%", Dimension::kRatio, 0.01, 0.0},
};

struct Spelling {
  std::string_view text;
  std::string_view symbol;
};

// Other spellings, compared without regard to case (symbols whose case matters are matched
// exactly before these: "m" is not "M", "Pa" not "PA").
constexpr std::array kSpellings = {
    Spelling{"m s-1", "m/s"},     Spelling{"mps", "m/s"},        Spelling{"knot", "kn"},
    Spelling{"knots", "kn"},      Spelling{"kt", "kn"},          Spelling{"kts", "kn"},
    Spelling{"kmh", "km/h"},      Spelling{"kph", "km/h"},       Spelling{"radian", "rad"},
    Spelling{"radians", "rad"},   Spelling{"degree", "deg"},     Spelling{"degrees", "deg"},
    Spelling{"°", "deg"},         Spelling{"°/s", "deg/s"},      Spelling{"°/min", "deg/min"},
    Spelling{"rad s-1", "rad/s"}, Spelling{"metre", "m"},        Spelling{"meter", "m"},
    Spelling{"metres", "m"},      Spelling{"meters", "m"},       Spelling{"feet", "ft"},
    Spelling{"foot", "ft"},       Spelling{"fathoms", "fathom"}, Spelling{"ftm", "fathom"},
    Spelling{"nm", "nmi"},        Spelling{"kelvin", "K"},       Spelling{"degc", "°C"},
    Spelling{"celsius", "°C"},    Spelling{"pascal", "Pa"},      Spelling{"mbar", "hPa"},
    Spelling{"hertz", "Hz"},      Spelling{"1/min", "rpm"},      Spelling{"percent", "%"},
    Spelling{"fraction", "ratio"}};

constexpr std::string_view kKnownSpellings =
    "m/s, kn, km/h, rad, deg, rad/s, deg/s, deg/min, m, ft, fathom, nmi, K, °C, Pa, hPa, bar, "
    "mbar, Hz, rpm, ratio, % (and spelled out: knots, degrees, radians, metres, feet, fathoms, "
    "kelvin, celsius, percent, ...)";

std::optional<Unit> by_symbol(std::string_view symbol) {
  for (const Unit& u : kUnits) {
    if (u.symbol == symbol) return u;
  }
  return std::nullopt;
}

struct Suffix {
  std::string_view suffix;
  std::string_view symbol;
};

// Longest first: "_deg_min" before "_min"-less "_deg"... checked in order.
constexpr std::array kSuffixes = {Suffix{"_deg_min", "deg/min"},
                                  Suffix{"_deg_s", "deg/s"},
                                  Suffix{"_kn", "kn"},
                                  Suffix{"_deg", "deg"},
                                  Suffix{"_nm", "nmi"},
                                  Suffix{"_m", "m"},
                                  Suffix{"_c", "°C"},
                                  Suffix{"_k", "K"},
                                  Suffix{"_hpa", "hPa"},
                                  Suffix{"_pa", "Pa"},
                                  Suffix{"_pct", "%"},
                                  Suffix{"_hz", "Hz"},
                                  Suffix{"_rpm", "rpm"},
                                  Suffix{"_ratio", "ratio"}};

}  // namespace

std::string_view name_of(Dimension d) {
  switch (d) {
    case Dimension::kSpeed:
      return "speed";
    case Dimension::kAngle:
      return "angle";
    case Dimension::kAngularRate:
      return "rate of turn";
    case Dimension::kLength:
      return "length";
    case Dimension::kTemperature:
      return "temperature";
    case Dimension::kPressure:
      return "pressure";
    case Dimension::kFrequency:
      return "frequency";
    case Dimension::kRatio:
      return "ratio";
  }
  return "?";
}

std::span<const Unit> all_units() {
  return kUnits;
}

std::optional<Unit> find_unit(std::string_view name) {
  if (const auto u = by_symbol(name)) return u;
  for (const Spelling& s : kSpellings) {
    if (same_ignoring_case(s.text, name)) return by_symbol(s.symbol);
  }
  // Symbols in another case where that is unambiguous ("KN", "DEG", "HZ"); not m/M, K/k or Pa.
  for (const Unit& u : kUnits) {
    if (u.symbol.size() > 1 && u.symbol != "Pa" && same_ignoring_case(u.symbol, name)) return u;
  }
  return std::nullopt;
}

std::optional<Conversion> conversion(const Unit& from, const Unit& to) {
  if (from.dimension != to.dimension) return std::nullopt;
  // to = (from * from.scale + from.offset - to.offset) / to.scale
  return Conversion{from.scale / to.scale, (from.offset - to.offset) / to.scale};
}

std::optional<Unit> truth_unit_of(std::string_view quantity) {
  if (quantity == "lat" || quantity == "lon") return by_symbol("deg");
  if (quantity == "rpm") return by_symbol("rpm");
  for (const Suffix& s : kSuffixes) {
    if (quantity.size() > s.suffix.size() && quantity.ends_with(s.suffix)) {
      return by_symbol(s.symbol);
    }
  }
  return std::nullopt;
}

std::string_view known_spellings() {
  return kKnownSpellings;
}

bool same_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace twincert::harness::units
