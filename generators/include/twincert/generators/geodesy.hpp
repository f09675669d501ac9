// Positions on the WGS-84 ellipsoid, advanced by small steps in the local tangent plane.
//
// advance() uses the meridional and prime-vertical radii of curvature at the current latitude,
// so a step of d metres is exact to second order: for steps up to 100 m (a ship at 30 kn moves
// 15 m per 1-s step) the position error is below 1 mm per step, far below GNSS noise.
// distance_m/bearing_deg use the same local radii at the mean latitude: within 0.1 % for
// distances up to 50 km, which is what a scenario's legs and CPA checks need (not ocean routes).
// Pure functions, thread-safe.
#pragma once

namespace twincert::generators {

struct GeoPoint {
  double lat_deg = 0.0;
  double lon_deg = 0.0;
};

inline constexpr double kWgs84A = 6378137.0;            // semi-major axis, m
inline constexpr double kWgs84F = 1.0 / 298.257223563;  // flattening
inline constexpr double kMetresPerNauticalMile = 1852.0;
inline constexpr double kMetresPerSecondPerKnot = 1852.0 / 3600.0;
inline constexpr double kKmhPerKnot = 1.852;
inline constexpr double kFeetPerMetre = 3.280839895;

double meridional_radius_m(double lat_deg) noexcept;
double prime_vertical_radius_m(double lat_deg) noexcept;

// The point `north_m` north and `east_m` east of p. Longitude is wrapped to [-180, 180).
GeoPoint advance(GeoPoint p, double north_m, double east_m) noexcept;

// Local north/east offset of b from a (metres), at the mean latitude.
void offset_m(GeoPoint a, GeoPoint b, double& north_m, double& east_m) noexcept;
double distance_m(GeoPoint a, GeoPoint b) noexcept;
// True bearing from a to b, [0, 360).
double bearing_deg(GeoPoint a, GeoPoint b) noexcept;
// The true bearing [0, 360) of a north/east offset, as bearing_deg() takes it from offset_m():
// for callers that need the distance too and so have the offset already.
double bearing_of_offset_deg(double north_m, double east_m) noexcept;

// Angle helpers: wrap to [0, 360) and to (-180, 180].
double wrap_360(double deg) noexcept;
double wrap_180(double deg) noexcept;

}  // namespace twincert::generators
