// Deterministic, counter-based random numbers: value = mix(seed, stream, counter).
//
// Every sensor and noise source draws from its own stream (a hash of its name) with its own
// counter, so the output depends only on (seed, scenario) — never on thread count, evaluation
// order elsewhere, the wall clock or random_device. The mixer is SplitMix64's finaliser applied
// twice, which passes BigCrush as a counter-based generator. Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace twincert::generators {

// Stable 64-bit id of a named stream (FNV-1a), e.g. stream_id("gnss:GP0001").
constexpr std::uint64_t stream_id(std::string_view name) noexcept {
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

class CounterRng {
 public:
  explicit constexpr CounterRng(std::uint64_t seed) noexcept : seed_(seed) {}

  std::uint64_t bits(std::uint64_t stream, std::uint64_t counter) const noexcept;
  // Uniform in [0, 1).
  double uniform(std::uint64_t stream, std::uint64_t counter) const noexcept;
  // Two independent standard normals (Box-Muller on two uniforms drawn for `pair`).
  struct NormalPair {
    double first;
    double second;
  };
  NormalPair normal_pair(std::uint64_t stream, std::uint64_t pair) const noexcept;
  std::uint64_t seed() const noexcept { return seed_; }

 private:
  std::uint64_t seed_;
};

// A named stream with its own counter: the convenient form for one noise source.
class NoiseStream {
 public:
  NoiseStream(const CounterRng& rng, std::string_view name) noexcept
      : rng_(rng), stream_(stream_id(name)) {}
  double uniform() noexcept { return rng_.uniform(stream_, counter_++); }
  // Draws 2k and 2k+1 are the two halves of Box-Muller pair k, so one logarithm, square root
  // and sine/cosine serve two draws, and a seek() anywhere still repeats the same values.
  double normal() noexcept {
    const std::uint64_t pair = counter_ >> 1U;
    if (pair != pair_index_) {
      pair_ = rng_.normal_pair(stream_, pair);
      pair_index_ = pair;
    }
    return (counter_++ & 1U) == 0U ? pair_.first : pair_.second;
  }
  double normal(double sigma) noexcept { return sigma * normal(); }
  // Where the stream is, and a way back there (a stuck sensor repeats its draws).
  std::uint64_t position() const noexcept { return counter_; }
  void seek(std::uint64_t position) noexcept { counter_ = position; }

 private:
  CounterRng rng_;
  std::uint64_t stream_;
  std::uint64_t counter_ = 0;
  std::uint64_t pair_index_ = ~std::uint64_t{0};  // the pair in pair_, none yet
  CounterRng::NormalPair pair_{};
};

// A slowly wandering error of two components (north and east, say): each a first-order
// Gauss-Markov process with stationary standard deviation `sigma` and correlation time `tau_s`,
// stepped every `dt_s`, starting in its stationary distribution and drawing from its own stream.
// Real GNSS position errors (satellite geometry, ionosphere, multipath) wander like this over
// minutes; drawn independently every second they would make the track zig-zag by metres.
class WanderingError {
 public:
  WanderingError(const CounterRng& rng, std::string_view name, double sigma, double tau_s,
                 double dt_s) noexcept;
  void step() noexcept;
  double first() const noexcept { return first_; }
  double second() const noexcept { return second_; }
  std::uint64_t steps() const noexcept { return noise_.position() / 2; }

 private:
  NoiseStream noise_;
  double sigma_;
  double decay_;       // exp(-dt / tau): what is left of the error after one step
  double innovation_;  // sigma * sqrt(1 - decay^2): keeps the variance at sigma^2
  double first_ = 0.0;
  double second_ = 0.0;
};

// Where a sensor's randomness stands: its noise stream's position and its wandering error, if
// it has one. A stuck sensor goes back there for every sample (see Sensor::sample_stuck).
struct NoiseAnchor {
  std::uint64_t position = 0;
  std::optional<WanderingError> wander;
};

}  // namespace twincert::generators
