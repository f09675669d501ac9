#include "twincert/generators/random.hpp"

#include <cmath>
#include <numbers>

namespace twincert::generators {

namespace {

constexpr std::uint64_t mix(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31U);
}

}  // namespace

std::uint64_t CounterRng::bits(std::uint64_t stream, std::uint64_t counter) const noexcept {
  return mix(mix(seed_ ^ mix(stream + 0x9E3779B97F4A7C15ULL)) + counter * 0x9E3779B97F4A7C15ULL);
}

double CounterRng::uniform(std::uint64_t stream, std::uint64_t counter) const noexcept {
  return static_cast<double>(bits(stream, counter) >> 11U) * 0x1.0p-53;
}

CounterRng::NormalPair CounterRng::normal_pair(std::uint64_t stream,
                                               std::uint64_t pair) const noexcept {
  // The two uniforms come from streams derived from `stream`, so they are independent of the
  // uniform() draws of the same stream and counter.
  const double u1 = 1.0 - uniform(stream ^ 0x6A09E667F3BCC909ULL, pair);  // (0, 1]: log is finite
  const double u2 = uniform(stream ^ 0xD1B54A32D192ED03ULL, pair);
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * std::numbers::pi * u2;
  return NormalPair{radius * std::cos(angle), radius * std::sin(angle)};
}

WanderingError::WanderingError(const CounterRng& rng, std::string_view name, double sigma,
                               double tau_s, double dt_s) noexcept
    : noise_(rng, name),
      sigma_(sigma),
      decay_(std::exp(-dt_s / tau_s)),
      innovation_(sigma * std::sqrt(1.0 - decay_ * decay_)) {}

void WanderingError::step() noexcept {
  // Drawn in sequence, not as two arguments of one call (whose order the compiler chooses).
  const double a = noise_.normal();
  const double b = noise_.normal();
  if (noise_.position() == 2) {  // the first step: from the stationary distribution
    first_ = sigma_ * a;
    second_ = sigma_ * b;
    return;
  }
  first_ = decay_ * first_ + innovation_ * a;
  second_ = decay_ * second_ + innovation_ * b;
}

}  // namespace twincert::generators
