#include "sim/app/model_comparison.h"

#include <algorithm>
#include <cmath>

#include "sim/mc/runner.h"
#include "sim/report/model_comparison_report.h"

namespace parley {

namespace {

// Pairs models a and b of one scenario from their samples' slots.
ModelComparison::Pair PairModels(int a, int b, const std::vector<double>& sa,
                                 const std::vector<double>& sb, const RunSummary& run, int64_t n) {
  const int slots = static_cast<int>(run.outcomes.size()) + 1;
  ModelComparison::Pair pair;
  pair.a = a;
  pair.b = b;
  for (int k = 0; k < slots; ++k) {
    ModelComparison::OutcomeDifference d;
    d.id = k + 1 == slots ? "unresolved" : run.outcomes[k].id;
    d.paired = PairedDifferenceOf(sa.data() + k, slots, sb.data() + k, slots, n);
    RunningStats va, vb;
    for (int64_t i = 0; i < n; ++i) {
      va.Add(sa[i * slots + k]);
      vb.Add(sb[i * slots + k]);
    }
    const double half = kZ95 * std::sqrt((va.Variance() + vb.Variance()) / static_cast<double>(n));
    d.independent_ci95 = {d.paired.difference - half, d.paired.difference + half};
    pair.differences.push_back(d);
  }
  RunningStats agree;
  for (int64_t i = 0; i < n; ++i) {
    double tv = 0.0;
    for (int k = 0; k < slots; ++k) tv += std::fabs(sa[i * slots + k] - sb[i * slots + k]);
    agree.Add(1.0 - tv / 2.0);
  }
  pair.agreement = agree.mean;
  const double half = n > 1 ? kZ95 * std::sqrt(agree.Variance() / static_cast<double>(n)) : 0.0;
  pair.agreement_ci95 = {std::max(0.0, agree.mean - half), std::min(1.0, agree.mean + half)};
  return pair;
}

}  // namespace

StatusOr<ModelComparisonResult> CompareModels(const ModelComparisonRequest& request) {
  if (request.models.empty()) return InvalidArgument("--models: give at least one model");
  if (request.files.empty()) return InvalidArgument("no scenario files to compare");
  // Every scenario under every model, loaded and checked before anything
  // runs; errors name the --models entry and the file. The first scenario
  // settles the seed and sample count for all, as in `parley run A B`.
  std::vector<std::vector<PreparedScenario>> prepared(request.models.size());  // [model][file]
  RunOptions options;
  for (size_t k = 0; k < request.models.size(); ++k) {
    for (size_t f = 0; f < request.files.size(); ++f) {
      SamplingRequest r;
      r.files = {request.files[f]};
      r.model = request.models[k];
      r.selection = request.selection;
      r.with = request.with;
      r.without = request.without;
      r.set = request.set;
      r.samples = k == 0 && f == 0 ? request.samples : options.samples;
      r.seed = k == 0 && f == 0 ? request.seed : options.seed;
      r.threads = request.threads;
      auto p = PrepareSampling(r);
      if (!p.ok()) {
        std::string message = p.status().message();
        if (message.rfind("--model: ", 0) == 0) message = message.substr(9);
        return Status(p.status().code(), "--models: " + request.models[k] + " on " +
                                             request.files[f] + ": " + message);
      }
      if (k == 0 && f == 0) options = p->options;
      prepared[k].push_back(std::move(p->scenarios.front()));
    }
  }
  ModelComparisonResult result_out;
  ModelComparison& out = result_out.comparison;
  out.models = request.models;
  out.samples = options.samples;
  out.seed = options.seed;
  const int m = static_cast<int>(request.models.size());
  int max_slots = 0;
  for (const PreparedScenario& s : prepared.front()) {
    max_slots = std::max(max_slots, s.game->num_outcomes() + 1);
  }
  out.paired_bytes = m * (PairedBytes(options.samples, max_slots) / 2);
  out.paired = m > 1 && out.paired_bytes <= kPairedMaxBytes;
  for (size_t f = 0; f < request.files.size(); ++f) {
    ModelComparison::Scenario scenario;
    scenario.file = request.files[f];
    std::vector<std::vector<double>> slots(static_cast<size_t>(m));
    std::vector<const Model*> models;
    std::vector<double*> sample_slots;
    for (int k = 0; k < m; ++k) {
      const PreparedScenario& p = prepared[k][f];
      models.push_back(p.model.get());
      if (out.paired) {
        slots[k].assign(static_cast<size_t>(options.samples) * (p.game->num_outcomes() + 1), 0.0);
      }
      sample_slots.push_back(out.paired ? slots[k].data() : nullptr);
    }
    // Every model predicts the same sampled games, drawn once: each model's
    // prepared game comes from the same file and overrides, so the first
    // one's draws are every model's (and each result is that of a single
    // run of the model, bit for bit).
    std::function<void(int64_t, int64_t)> progress;
    if (request.progress) {
      const int64_t before = static_cast<int64_t>(f) * options.samples;
      const int64_t planned = static_cast<int64_t>(request.files.size()) * options.samples;
      progress = [&request, before, planned](int64_t done, int64_t) {
        request.progress(before + done, planned);
      };
    }
    PARLEY_ASSIGN_OR_RETURN(
        ModelsRunResult run,
        RunMonteCarloModels(*prepared[0][f].game, models, options, sample_slots, progress));
    out.threads = std::max(out.threads, run.threads_used);
    const double per_sample = 1e9 / static_cast<double>(options.samples);
    scenario.draw_ns_per_sample = run.draw_seconds * per_sample;
    result_out.provenance.emplace_back();
    for (int k = 0; k < m; ++k) {
      const PreparedScenario& p = prepared[k][f];
      ModelComparison::Cell cell{SummarizeRun(p, options, run.runs[k]),
                                 run.runs[k].seconds * per_sample};
      result_out.provenance.back().push_back(p.provenance);
      scenario.cells.push_back(std::move(cell));
    }
    if (out.paired) {
      for (int a = 0; a < m; ++a) {
        for (int b = a + 1; b < m; ++b) {
          scenario.pairs.push_back(
              PairModels(a, b, slots[a], slots[b], scenario.cells[a].run, options.samples));
        }
      }
    }
    out.scenarios.push_back(std::move(scenario));
  }
  return result_out;
}

nlohmann::ordered_json ModelComparisonResultJson(const ModelComparisonResult& result,
                                                 double seconds) {
  const ModelComparison& comparison = result.comparison;
  nlohmann::ordered_json doc = ModelComparisonToJson(comparison, seconds);
  for (size_t f = 0; f < comparison.scenarios.size(); ++f) {
    for (size_t k = 0; k < comparison.scenarios[f].cells.size(); ++k) {
      AddProvenanceJson(result.provenance[f][k], doc["scenarios"][f]["models"][k]);
    }
  }
  return doc;
}

}  // namespace parley
