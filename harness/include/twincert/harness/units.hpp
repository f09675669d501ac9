// Units of measure a twin may report a value in, and their conversion to the unit the truth
// keeps the quantity in (docs/formats/truth.md: sog_kn in knots, depth_m in metres, ...). A
// small typed table: each unit has a dimension and an affine map to the dimension's SI unit
// (si = value * scale + offset), so a conversion between two units of one dimension is one
// multiply and one add, and one between dimensions does not exist (nullopt, never a number).
//
// Pure standard-library code with no state (a later `base/` part can take it as it is); every
// function is thread-safe. Texts returned are views of static storage.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace twincert::harness::units {

enum class Dimension : std::uint8_t {
  kSpeed,
  kAngle,
  kAngularRate,
  kLength,
  kTemperature,
  kPressure,
  kFrequency,
  kRatio,
};

std::string_view name_of(Dimension d);  // "speed", "angle", ...

struct Unit {
  std::string_view symbol;  // canonical spelling: "kn", "m/s", "deg", "°C"
  Dimension dimension;
  double scale;   // si = value * scale + offset
  double offset;  // non-zero only for temperatures (°C)
};

// value_to = value_from * scale + offset.
struct Conversion {
  double scale = 1.0;
  double offset = 0.0;
  double operator()(double v) const { return v * scale + offset; }
};

// Every unit, once each, in canonical spelling.
std::span<const Unit> all_units();

// A unit by its symbol or one of its other spellings ("knots", "m s-1", "degrees", "celsius",
// "%"), case as written for symbols whose case means something (m, K, Pa), and any case for
// the spelled-out names. nullopt: unknown.
std::optional<Unit> find_unit(std::string_view name);

// From one unit to another of the same dimension; nullopt when the dimensions differ.
std::optional<Conversion> conversion(const Unit& from, const Unit& to);

// The unit the truth keeps a quantity in, from its name: the recorded quantities of
// truth.jsonl by name (lat, lon, rpm, ...), others by the suffix convention (_kn, _deg,
// _deg_min, _m, _nm, _c, _hpa, _pct, _hz). nullopt: none known.
std::optional<Unit> truth_unit_of(std::string_view quantity);

// The spellings find_unit knows, comma-separated, for error messages.
std::string_view known_spellings();

// Equal but for the case of ASCII letters: how unit names and an adapter's `any_case` alert
// words are compared.
bool same_ignoring_case(std::string_view a, std::string_view b);

}  // namespace twincert::harness::units
