#include "twincert/generators/geodesy.hpp"

#include <cmath>
#include <numbers>

namespace twincert::generators {

namespace {
constexpr double kDeg = std::numbers::pi / 180.0;
constexpr double kE2 = kWgs84F * (2.0 - kWgs84F);  // first eccentricity squared

// Both principal radii of curvature follow from W^2 = 1 - e^2 sin^2(lat): M = a(1-e^2)/W^3 and
// N = a/W. One square root gives both; pow(W^2, 1.5) cost as much as the rest of a step.
struct Radii {
  double meridional_m;
  double prime_vertical_m;
};
Radii radii_from_sine(double sin_lat) noexcept {
  const double w2 = 1.0 - kE2 * sin_lat * sin_lat;
  const double w = std::sqrt(w2);
  return Radii{kWgs84A * (1.0 - kE2) / (w2 * w), kWgs84A / w};
}
}  // namespace

double meridional_radius_m(double lat_deg) noexcept {
  return radii_from_sine(std::sin(lat_deg * kDeg)).meridional_m;
}

double prime_vertical_radius_m(double lat_deg) noexcept {
  return radii_from_sine(std::sin(lat_deg * kDeg)).prime_vertical_m;
}

double wrap_360(double deg) noexcept {
  // Most angles are in range already; fmod returns them unchanged, so skipping it is exact.
  if (deg >= 0.0 && deg < 360.0) return deg;
  const double r = std::fmod(deg, 360.0);
  return r < 0.0 ? r + 360.0 : r;
}

double wrap_180(double deg) noexcept {
  const double r = wrap_360(deg);
  return r > 180.0 ? r - 360.0 : r;
}

GeoPoint advance(GeoPoint p, double north_m, double east_m) noexcept {
  // Midpoint latitude for the east step keeps the error second order.
  const double dlat = north_m / meridional_radius_m(p.lat_deg) / kDeg;
  const double mid = p.lat_deg + dlat / 2.0;
  const double dlon =
      east_m / (radii_from_sine(std::sin(mid * kDeg)).prime_vertical_m * std::cos(mid * kDeg)) /
      kDeg;
  GeoPoint out{p.lat_deg + dlat, p.lon_deg + dlon};
  out.lon_deg = wrap_180(out.lon_deg);
  if (out.lon_deg == 180.0) out.lon_deg = -180.0;
  return out;
}

void offset_m(GeoPoint a, GeoPoint b, double& north_m, double& east_m) noexcept {
  const double mid = (a.lat_deg + b.lat_deg) / 2.0;
  const Radii r = radii_from_sine(std::sin(mid * kDeg));
  north_m = (b.lat_deg - a.lat_deg) * kDeg * r.meridional_m;
  east_m = wrap_180(b.lon_deg - a.lon_deg) * kDeg * r.prime_vertical_m * std::cos(mid * kDeg);
}

double distance_m(GeoPoint a, GeoPoint b) noexcept {
  double n = 0.0;
  double e = 0.0;
  offset_m(a, b, n, e);
  return std::hypot(n, e);
}

double bearing_deg(GeoPoint a, GeoPoint b) noexcept {
  double n = 0.0;
  double e = 0.0;
  offset_m(a, b, n, e);
  return bearing_of_offset_deg(n, e);
}

double bearing_of_offset_deg(double north_m, double east_m) noexcept {
  return wrap_360(std::atan2(east_m, north_m) / kDeg);
}

}  // namespace twincert::generators
