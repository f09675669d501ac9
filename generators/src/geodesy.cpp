#include "twincert/generators/geodesy.hpp"

#include <cmath>
#include <numbers>

namespace twincert::generators {

namespace {
constexpr double kDeg = std::numbers::pi / 180.0;
constexpr double kE2 = kWgs84F * (2.0 - kWgs84F);  // first eccentricity squared
}  // namespace

double meridional_radius_m(double lat_deg) noexcept {
  const double s = std::sin(lat_deg * kDeg);
  return kWgs84A * (1.0 - kE2) / std::pow(1.0 - kE2 * s * s, 1.5);
}

double prime_vertical_radius_m(double lat_deg) noexcept {
  const double s = std::sin(lat_deg * kDeg);
  return kWgs84A / std::sqrt(1.0 - kE2 * s * s);
}

double wrap_360(double deg) noexcept {
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
  const double dlon = east_m / (prime_vertical_radius_m(mid) * std::cos(mid * kDeg)) / kDeg;
  GeoPoint out{p.lat_deg + dlat, p.lon_deg + dlon};
  out.lon_deg = wrap_180(out.lon_deg);
  if (out.lon_deg == 180.0) out.lon_deg = -180.0;
  return out;
}

void offset_m(GeoPoint a, GeoPoint b, double& north_m, double& east_m) noexcept {
  const double mid = (a.lat_deg + b.lat_deg) / 2.0;
  north_m = (b.lat_deg - a.lat_deg) * kDeg * meridional_radius_m(mid);
  east_m =
      wrap_180(b.lon_deg - a.lon_deg) * kDeg * prime_vertical_radius_m(mid) * std::cos(mid * kDeg);
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
