#include "sim/app/fit.h"

#include <charconv>
#include <cmath>

#include "sim/app/sampling.h"
#include "sim/mc/runner.h"
#include "sim/model/model.h"

namespace parley {

namespace {

// Shortest text that reads back as `x` exactly: the `--set model.P=V` value.
std::string ExactText(double x) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, end);
}

std::string RangeText(double low, double high) {
  std::string text = "[";
  text += ExactText(low);
  text += ", ";
  text += ExactText(high);
  text += "]";
  return text;
}

// One run of the scenario at a parameter value: its choice probabilities
// and log-likelihood.
struct Evaluation {
  double log_likelihood = 0.0;
  std::vector<std::vector<double>> predicted;
  double unresolved = 0.0;
  std::optional<double> not_converged;
  double floored = 0.0;
  Provenance provenance;
};

class Likelihood {
 public:
  Likelihood(const FitRequest& request, const ObservedCounts& observed)
      : request_(request), observed_(observed) {}

  StatusOr<Evaluation> Evaluate(double value) const {
    SamplingRequest sampling;
    sampling.files = {request_.file};
    sampling.model = request_.model;
    sampling.with = request_.with;
    sampling.without = request_.without;
    sampling.set = request_.set;
    sampling.set.push_back("model." + request_.parameter + "=" + ExactText(value));
    sampling.selection = request_.selection;
    sampling.samples = request_.samples;
    sampling.seed = request_.seed;
    sampling.threads = request_.threads;
    PARLEY_ASSIGN_OR_RETURN(PreparedSampling prepared, PrepareSampling(sampling));
    const PreparedScenario& scenario = prepared.scenarios.front();
    PARLEY_ASSIGN_OR_RETURN(const RunResult run,
                            RunMonteCarlo(*scenario.game, *scenario.model, prepared.options));
    const RunSummary summary = SummarizeRun(scenario, prepared.options, run);
    Evaluation e;
    e.unresolved = summary.unresolved.probability;
    if (summary.ReportsConvergence()) e.not_converged = summary.not_converged_probability;
    e.provenance = scenario.provenance;
    e.predicted.resize(observed_.counts.size());
    for (size_t a = 0; a < observed_.counts.size(); ++a) {
      const std::vector<OptionShare>& shares = summary.actors[a].options;
      for (size_t o = 0; o < shares.size(); ++o) e.predicted[a].push_back(shares[o].share);
      for (size_t o = 0; o < observed_.counts[a].size(); ++o) {
        const double n = observed_.counts[a][o];
        if (n == 0) continue;
        double p = e.predicted[a][o];
        if (!(p >= kFitProbabilityFloor)) {
          p = kFitProbabilityFloor;
          e.floored += n;
        }
        e.log_likelihood += n * std::log(p);
      }
    }
    return e;
  }

 private:
  const FitRequest& request_;
  const ObservedCounts& observed_;
};

}  // namespace

StatusOr<ModelFit> FitModelParameter(const FitRequest& request) {
  if (request.model.empty()) return InvalidArgument("--model: give the model whose parameter to fit");
  // The scenario, the model and the parameter, checked before any run.
  SamplingRequest probe;
  probe.files = {request.file};
  probe.model = request.model;
  probe.with = request.with;
  probe.without = request.without;
  probe.set = request.set;
  probe.selection = request.selection;
  probe.samples = request.samples;
  probe.seed = request.seed;
  probe.threads = request.threads;
  PARLEY_ASSIGN_OR_RETURN(const PreparedSampling prepared, PrepareSampling(probe));
  const PreparedScenario& scenario = prepared.scenarios.front();
  if (scenario.spec.sequential()) {
    return InvalidArgument(request.file +
                           ": parley fit reads choices of normal-form scenarios only; this one "
                           "is sequential");
  }
  const ModelInfo& info = scenario.model->info();
  const ParameterDecl* decl = nullptr;
  std::vector<std::string> fittable;
  for (const ParameterDecl& d : info.parameters) {
    if (d.kind == ParameterDecl::Kind::kChoice) continue;
    fittable.push_back(d.name);
    if (d.name == request.parameter) decl = &d;
  }
  if (decl == nullptr) {
    std::string list;
    for (const auto& n : fittable) list += (list.empty() ? "" : ", ") + n;
    return InvalidArgument("--param: model " + info.name + " has no number parameter '" +
                           request.parameter + "'" +
                           (fittable.empty() ? "; it has none to fit"
                                             : " (it has: " + list + "; see `parley models`)"));
  }
  PARLEY_ASSIGN_OR_RETURN(ObservedCounts observed,
                          LoadObservedCounts(request.observed, scenario.spec));

  FitResult r;
  r.scenario = scenario.spec.name;
  r.scenario_path = request.file;
  r.model = info.name;
  r.parameter = decl->name;
  r.integer = decl->kind == ParameterDecl::Kind::kInteger;
  r.samples = prepared.options.samples;
  r.seed = prepared.options.seed;
  for (const ActorSpec& a : scenario.spec.actors) {
    r.actors.push_back(a.id);
    r.options.push_back(a.options);
  }
  double low = std::isfinite(decl->min) ? decl->min : -kDefaultSearchBound;
  double high = std::isfinite(decl->max) ? decl->max : kDefaultSearchBound;
  if (request.range) {
    const auto [lo, hi] = *request.range;
    if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi)) {
      return InvalidArgument("--range: give LOW,HIGH with LOW below HIGH, got " +
                             RangeText(lo, hi));
    }
    if (lo < decl->min || hi > decl->max) {
      return InvalidArgument("--range " + RangeText(lo, hi) + " leaves the range of " +
                             info.name + "'s " + decl->name + ": " + decl->RangeText());
    }
    low = lo;
    high = hi;
    r.default_range = false;
  }
  if (r.integer) {
    low = std::ceil(low);
    high = std::floor(high);
    if (high - low + 1 > static_cast<double>(kMaxFitIntegers)) {
      return InvalidArgument("--range: " + decl->name + " is a whole number; give a range of at "
                             "most " + std::to_string(kMaxFitIntegers) + " values, not " +
                             RangeText(low, high));
    }
    if (low >= high) {
      return InvalidArgument("--range: the range holds fewer than two whole numbers: " +
                             RangeText(low, high));
    }
  }
  r.range_low = low;
  r.range_high = high;
  r.observed = std::move(observed);

  const Likelihood likelihood(request, r.observed);
  ProfileLikelihoodOptions search;
  search.low = low;
  search.high = high;
  search.integer = r.integer;
  PARLEY_ASSIGN_OR_RETURN(
      r.fit, MaximizeProfileLikelihood(
                 [&](double v) -> StatusOr<double> {
                   PARLEY_ASSIGN_OR_RETURN(const Evaluation e, likelihood.Evaluate(v));
                   return e.log_likelihood;
                 },
                 search));
  PARLEY_ASSIGN_OR_RETURN(const Evaluation at, likelihood.Evaluate(r.fit.estimate));
  r.predicted = at.predicted;
  r.unresolved = at.unresolved;
  r.not_converged = at.not_converged;
  r.floored_choices = at.floored;
  return ModelFit{std::move(r), at.provenance};
}

}  // namespace parley
