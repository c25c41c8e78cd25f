// `parley doctor`: diagnostics of a scenario, each pointing back into the
// file (docs/how-to/check-a-scenario-with-doctor.md). Two families:
//
// Structural checks, exact, from the scenario and its cells (profiles of a
// normal-form game, terminal histories of a sequential one):
// - inert: an argument's effect, a modifier or a parameter whose shift
//   cannot change any best response. In a normal-form game: for every
//   profile of the other actors' options the shift gives the same amount to
//   every option of the actor it pays (it adds a function of the others'
//   options, which leaves best responses, pure and mixed equilibria and the
//   logit QRE unchanged). In a game tree: at every decision node of the
//   actor it pays, the shift is the same on every terminal history below
//   (so no choice of that actor, at any information set, can change it).
//   The tree test is sufficient, not necessary: a shift it does not prove
//   inert may still be. A parameter is inert when all the shifts it enters
//   are (those that apply together summed: the ungated ones, and each
//   argument's); an argument when all its effects are.
// - never-applies: an effect or modifier whose condition no cell satisfies
//   (an outcome payoff effect whose outcome no cell reaches).
// - double-counting: effects of two or more arguments that shift the same
//   actor's payoff on exactly the same cells, or the same parameter.
//
// Sampled checks, on the run's samples (seed and sample count as `run`):
// - no-measurable-effect: arguments (not proven inert) whose forcing on
//   versus off, paired on the same samples (as `--with` and `--without`),
//   changes no outcome's probability (unresolved included) by more than
//   1.96 paired standard errors.
// - dominated (normal-form games): options strictly dominated by another of
//   the actor's options in at least kDominatedShare of the samples.
// - best-response-cycle (normal-form games): in samples without a pure Nash
//   equilibrium (unresolved under nash-pure), the cycles of best-response
//   dynamics (the first actor, in file order, not playing a best response
//   switches to its first best response), with the share of such samples in
//   which each cycle occurs.
//
// Results depend only on the scenario, the seed and the sample count.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/status.h"
#include "sim/model/model.h"
#include "sim/scenario/copula.h"
#include "sim/scenario/spec.h"

namespace parley {

enum class FindingKind {
  kInert,
  kNeverApplies,
  kDoubleCounting,
  kNoMeasurableEffect,
  kDominated,
  kBestResponseCycle,
};
// "inert", "never-applies", "double-counting", "no-measurable-effect",
// "dominated", "best-response-cycle".
const char* FindingKindName(FindingKind kind);

struct Finding {
  Finding() = default;
  Finding(FindingKind k, SourceLoc l, std::string e, std::string m, std::string h)
      : kind(k),
        loc(std::move(l)),
        element(std::move(e)),
        message(std::move(m)),
        hint(std::move(h)) {}

  FindingKind kind = FindingKind::kInert;
  SourceLoc loc;        // where the element is in the file
  std::string element;  // "argument ID effect N", "modifier N", "parameter ID", ...
  std::string message;  // what is wrong
  std::string hint;     // how to fix it
  // The share of samples the finding holds in (dominated,
  // best-response-cycle), or -1.
  double share = -1.0;
  // The other elements concerned (double-counting: every effect, with its
  // place), "ELEMENT at FILE:LINE:COL".
  std::vector<std::string> related;
};

// Options at least this share of samples strictly dominates are reported.
inline constexpr double kDominatedShare = 0.99;
// Games with more cells than this are not checked structurally; more
// profiles than kMaxStrategicAnalysisProfiles, not checked on samples.
inline constexpr int64_t kMaxDoctorCells = int64_t{1} << 20;

struct DoctorOptions {
  int64_t samples = 10000;
  uint64_t seed = 1;
  int threads = 0;
  // Argument modes of the run (--with/--without); forced arguments are
  // not tested for a measurable effect.
  std::vector<ArgumentMode> modes;
};

struct DoctorResult {
  std::vector<Finding> findings;  // by kind, then place in the file
  // Checks that did not run, and why (a game too large, a sequential game).
  std::vector<std::string> skipped;
  int64_t samples = 0;
  uint64_t seed = 0;
  int64_t unresolved_samples = 0;  // without a pure Nash equilibrium (normal form)
};

// The structural checks only (no sampling).
StatusOr<std::vector<Finding>> StructuralFindings(const ScenarioSpec& spec,
                                                  std::vector<std::string>* skipped);

// Every check. `model` is the run's model (for the paired forcing runs).
StatusOr<DoctorResult> Diagnose(const ScenarioSpec& spec, const Model& model,
                                const DoctorOptions& options);

}  // namespace parley
