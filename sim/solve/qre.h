// Logit quantal response equilibria of N-player normal-form games, by
// predictor-corrector path following in the precision lambda from the
// centroid at lambda = 0 (McKelvey and Palfrey; the method of gambit-logit).
// The principal branch is unique, so the QRE at each lambda is well defined,
// and its limit as lambda grows selects a Nash equilibrium.
#pragma once

#include <string>

#include "sim/core/status.h"
#include "sim/game/normal_form.h"
#include "sim/solve/mixed.h"

namespace parley {

struct QreOptions {
  double initial_step = 0.05;          // arc length of the first predictor step
  double max_step = 1e4;               // largest arc-length step
  double corrector_tolerance = 1e-11;  // |H| at which Newton stops
  int max_steps = 20000;               // predictor steps before giving up
  // For the limit: stop when the profile's Nash regret is at most
  // nash_tolerance * (1 + largest |payoff|), or lambda exceeds max_lambda.
  double nash_tolerance = 1e-9;
  double max_lambda = 1e12;

  bool IsValid(std::string* why) const;
};

struct QreResult {
  double lambda = 0.0;
  MixedEquilibrium profile;  // strategies, expected payoffs, Nash regret
  int steps = 0;             // predictor steps taken
  std::string termination;   // "reached lambda", "nash tolerance", "max lambda", ...
};

// The logit QRE on the principal branch at precision `lambda` (>= 0).
StatusOr<QreResult> LogitQre(const GameView& game, double lambda, const QreOptions& options = {});

// Follows the principal branch until its profile is a Nash equilibrium to
// options.nash_tolerance (the logit-selected equilibrium).
StatusOr<QreResult> LogitLimit(const GameView& game, const QreOptions& options = {});

// The QRE residual at (profile, lambda): the largest |ln s(a) - ln s(b) -
// lambda (u(a) - u(b))| over each player's strategies a, b. Zero exactly at a
// logit QRE; an independent check for tests and reports.
double QreResidual(const GameView& game, const MixedProfile& profile, double lambda);

}  // namespace parley
