#include "sim/mc/sweep.h"

#include <charconv>
#include <cmath>
#include <set>

#include "sim/scenario/overrides.h"

namespace parley {
namespace {

StatusOr<double> ParseBound(std::string_view text, const std::string& what,
                            const std::string& whole) {
  std::string_view s = text;
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  double x = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(x)) {
    const std::string shown =
        text.size() > 40 ? std::string(text.substr(0, 37)) + "..." : std::string(text);
    return InvalidArgument("--vary " + whole + ": " + what + " must be a finite number, got '" +
                           shown + "'");
  }
  if (std::abs(x) > 1e9) {
    return InvalidArgument("--vary " + whole + ": " + what + " must be between -1e9 and 1e9");
  }
  return x;
}

}  // namespace

std::vector<double> SweepAxis::Values() const {
  std::vector<double> v;
  for (int64_t i = 0; i < steps; ++i) {
    v.push_back(i + 1 == steps
                    ? high
                    : low + (high - low) * static_cast<double>(i) / static_cast<double>(steps - 1));
  }
  return v;
}

StatusOr<SweepAxis> ParseSweepAxis(std::string_view text) {
  // Long text is cut in messages.
  const std::string whole =
      text.size() > 80 ? std::string(text.substr(0, 77)) + "..." : std::string(text);
  const size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return InvalidArgument("--vary " + whole +
                           ": expected NAME=LOW:HIGH:STEPS, for example "
                           "credence.baunov-trump-exit=0:1:11");
  }
  SweepAxis axis;
  axis.name = std::string(text.substr(0, eq));
  const std::string_view range = text.substr(eq + 1);
  const size_t c1 = range.find(':');
  const size_t c2 = c1 == std::string_view::npos ? c1 : range.find(':', c1 + 1);
  if (c2 == std::string_view::npos || range.find(':', c2 + 1) != std::string_view::npos) {
    return InvalidArgument("--vary " + whole + ": expected LOW:HIGH:STEPS after '" + axis.name +
                           "=', for example 0:1:11");
  }
  auto low = ParseBound(range.substr(0, c1), "LOW", whole);
  if (!low.ok()) return low.status();
  auto high = ParseBound(range.substr(c1 + 1, c2 - c1 - 1), "HIGH", whole);
  if (!high.ok()) return high.status();
  const std::string_view steps = range.substr(c2 + 1);
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(steps.data(), steps.data() + steps.size(), n);
  if (steps.empty() || ec != std::errc() || ptr != steps.data() + steps.size() || n < 2 ||
      n > kMaxSweepSteps) {
    return InvalidArgument("--vary " + whole + ": STEPS must be a whole number from 2 to " +
                           std::to_string(kMaxSweepSteps) +
                           " (the number of grid values, ends "
                           "included), got '" +
                           std::string(steps) + "'");
  }
  if (*low > *high) {
    return InvalidArgument("--vary " + whole + ": LOW must not exceed HIGH");
  }
  axis.low = *low;
  axis.high = *high;
  axis.steps = n;
  return axis;
}

Status CheckSweep(const ScenarioSpec& spec, const std::vector<SweepAxis>& axes) {
  if (axes.empty()) return InvalidArgument("a sweep needs at least one --vary");
  if (axes.size() > static_cast<size_t>(kMaxSweepAxes)) {
    return InvalidArgument("a sweep varies at most " + std::to_string(kMaxSweepAxes) +
                           " names (a one- or two-dimensional grid); got " +
                           std::to_string(axes.size()));
  }
  std::set<std::string> seen;
  int64_t points = 1;
  for (const SweepAxis& axis : axes) {
    const std::string prefix =
        "--vary " + (axis.name.size() > 80 ? axis.name.substr(0, 77) + "..." : axis.name) + ": ";
    auto found = FindSweepable(spec, axis.name);
    if (!found.ok()) return InvalidArgument(prefix + found.status().message());
    if (!seen.insert(axis.name).second) {
      return InvalidArgument(prefix + "the name is varied twice");
    }
    if (found->is_credence() && (axis.low < 0.0 || axis.high > 1.0)) {
      return InvalidArgument(prefix +
                             "a credence is a probability; LOW and HIGH must be in [0, 1]");
    }
    if (axis.steps < 2 || axis.steps > kMaxSweepSteps || axis.low > axis.high) {
      return InvalidArgument(prefix + "STEPS must be 2 to " + std::to_string(kMaxSweepSteps) +
                             " and LOW <= HIGH");
    }
    if (found->kind == SweepableName::Kind::kRounds) {
      // Whole rounds, discount factors in (0, 1]: every grid value must fit.
      for (const double x : axis.Values()) {
        ScenarioSpec trial = spec;
        const Status fits = ApplyOverride(trial, axis.name, x);
        if (!fits.ok()) return InvalidArgument(prefix + fits.message());
      }
    }
    points *= axis.steps;
  }
  if (points > kMaxSweepPoints) {
    return InvalidArgument("the grid has " + std::to_string(points) + " points; at most " +
                           std::to_string(kMaxSweepPoints) +
                           " are accepted (each point is a full Monte Carlo run)");
  }
  return OkStatus();
}

StatusOr<SweepResult> RunSweep(const ScenarioSpec& spec, const std::vector<SweepAxis>& axes,
                               const ModelMaker& make_model, const SweepOptions& options) {
  PARLEY_RETURN_IF_ERROR(CheckSweep(spec, axes));
  SweepResult result;
  result.axes = axes;
  std::vector<std::vector<double>> values;
  for (const SweepAxis& axis : axes) values.push_back(axis.Values());
  std::vector<size_t> index(axes.size(), 0);
  int64_t points = 1;
  for (const auto& v : values) points *= static_cast<int64_t>(v.size());
  const int64_t planned = points * options.run.samples;
  int64_t done_before = 0;  // samples of the points already run
  RunControl control;
  if (options.progress) {
    control.progress = [&](int64_t done, int64_t) {
      options.progress(done_before + done, planned);
    };
  }
  while (true) {
    SweepPoint point;
    ScenarioSpec varied = spec;
    for (size_t k = 0; k < axes.size(); ++k) {
      point.values.push_back(values[k][index[k]]);
      PARLEY_RETURN_IF_ERROR(ApplyOverride(varied, axes[k].name, point.values.back()));
    }
    PARLEY_ASSIGN_OR_RETURN(const GameModel game, GameModel::Compile(varied, options.compile));
    PARLEY_ASSIGN_OR_RETURN(const std::unique_ptr<Model> model, make_model(varied));
    PARLEY_ASSIGN_OR_RETURN(const RunResult run, RunMonteCarlo(game, *model, options.run, control));
    done_before += options.run.samples;
    point.summary =
        Summarize(varied, options.compile.argument_modes, run.totals, model->pure(), &game);
    DescribeModel(*model, point.summary);
    point.summary.seed = options.run.seed;
    point.summary.threads = run.threads_used;
    point.summary.seconds = run.seconds;
    result.threads = run.threads_used;
    result.sampling_seconds += run.seconds;
    result.seconds += run.seconds;
    result.points.push_back(std::move(point));
    // The last axis varies fastest.
    size_t k = axes.size();
    while (k > 0 && ++index[k - 1] == values[k - 1].size()) index[--k] = 0;
    if (k == 0) break;
  }
  return result;
}

}  // namespace parley
