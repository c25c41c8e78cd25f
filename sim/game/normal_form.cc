#include "sim/game/normal_form.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace parley {

StatusOr<ProfileSpace> ProfileSpace::Make(std::vector<int> strategy_counts, int64_t max_profiles) {
  if (strategy_counts.empty()) return InvalidArgument("a game needs at least one player");
  ProfileSpace s;
  s.counts_ = std::move(strategy_counts);
  s.strides_.resize(s.counts_.size());
  int64_t total = 1;
  for (size_t p = 0; p < s.counts_.size(); ++p) {
    const int k = s.counts_[p];
    if (k < 1) return InvalidArgument("every player needs at least one strategy");
    s.strides_[p] = total;
    if (total > max_profiles / k) {
      return ResourceExhausted("the game has more than " + std::to_string(max_profiles) +
                               " strategy profiles");
    }
    total *= k;
  }
  s.num_profiles_ = total;
  constexpr int64_t kMaxDigitTable = int64_t{1} << 16;  // bytes
  const bool small_counts =
      std::all_of(s.counts_.begin(), s.counts_.end(), [](int k) { return k <= 256; });
  if (small_counts && total <= kMaxDigitTable / s.num_players()) {
    s.digits_.resize(static_cast<size_t>(total * s.num_players()));
    for (int64_t q = 0; q < total; ++q) {
      for (int p = 0; p < s.num_players(); ++p) {
        s.digits_[q * s.num_players() + p] =
            static_cast<uint8_t>((q / s.strides_[p]) % s.counts_[p]);
      }
    }
  }
  return s;
}

std::vector<int> ProfileSpace::Decode(int64_t profile) const {
  std::vector<int> out(counts_.size());
  for (int p = 0; p < num_players(); ++p) out[p] = StrategyOf(profile, p);
  return out;
}

int64_t ProfileSpace::Encode(const std::vector<int>& strategies) const {
  int64_t profile = 0;
  for (int p = 0; p < num_players(); ++p) profile += strategies[p] * strides_[p];
  return profile;
}

StatusOr<NormalFormGame> NormalFormGame::Make(std::vector<std::string> players,
                                              std::vector<std::vector<std::string>> strategies,
                                              std::vector<double> payoffs) {
  if (players.size() != strategies.size()) {
    return InvalidArgument("one strategy list per player is needed");
  }
  std::vector<int> counts;
  counts.reserve(strategies.size());
  for (const auto& s : strategies) counts.push_back(static_cast<int>(s.size()));
  auto space = ProfileSpace::Make(
      counts, std::numeric_limits<int32_t>::max() / static_cast<int64_t>(players.size()));
  if (!space.ok()) return space.status();
  const int64_t cells = space->num_profiles() * space->num_players();
  if (static_cast<int64_t>(payoffs.size()) != cells) {
    return InvalidArgument("expected " + std::to_string(cells) + " payoffs, got " +
                           std::to_string(payoffs.size()));
  }
  NormalFormGame g{
      std::move(players), std::move(strategies), std::move(*space), {}, std::move(payoffs)};
  g.offsets.resize(cells);
  std::iota(g.offsets.begin(), g.offsets.end(), 0);
  return g;
}

double NormalFormGame::MaxAbsPayoff() const {
  double scale = 0.0;
  for (double x : payoffs) scale = std::max(scale, std::abs(x));
  return scale;
}

}  // namespace parley
