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
#include "sim/solve/termination.h"

namespace parley {

struct QreOptions {
  double initial_step = 0.05;  // arc length of the first predictor step
  // Largest arc-length step, or a quarter of the distance of the path point
  // from the origin where that is larger (far out the path is a straight ray).
  double max_step = 1e4;
  double corrector_tolerance = 1e-11;  // |H| at which Newton stops
  int max_steps = 20000;               // predictor steps before giving up
  // For the limit: stop when the profile's Nash regret is at most
  // nash_tolerance * (1 + largest |payoff|), or lambda exceeds max_lambda.
  // LogitQre refuses a lambda above max_lambda: beyond it, double precision
  // cannot resolve lambda times the payoff differences.
  double nash_tolerance = 1e-9;
  double max_lambda = 1e12;

  bool IsValid(std::string* why) const;
};

struct QreResult {
  double lambda = 0.0;       // where the path stopped
  MixedEquilibrium profile;  // strategies, expected payoffs, Nash regret
  // The path's profile at `lambda`: the same as profile.strategies, except
  // for a limit polished on the support (then within 1e-2 of it).
  MixedProfile path;
  int steps = 0;  // predictor steps taken
  // kReachedLambda (LogitQre), kNashTolerance or kPolishedOnSupport
  // (LogitLimit): the goal was met. kMaxLambda or kMaxSteps: the path gave
  // up first; `lambda` and `profile` are where it stopped, short of the
  // requested lambda or of a Nash equilibrium.
  Termination reason = Termination::kMaxSteps;
  std::string termination;  // TerminationName(reason), for messages
  bool converged = false;   // Converged(reason): the goal was met
};

// The logit QRE on the principal branch at precision `lambda` (0 to
// options.max_lambda): the first point of the branch at that lambda.
StatusOr<QreResult> LogitQre(const GameView& game, double lambda, const QreOptions& options = {});

// Follows the principal branch until its profile is a Nash equilibrium to
// options.nash_tolerance (the logit-selected equilibrium). Near the end it
// solves for the exact equilibrium on the path's support (Newton's method)
// and stops there only once that same equilibrium is within 1e-2 of the path
// point (and within a tenth of the smallest supported probability) at two
// consecutive path points, the second closer: otherwise Newton could land on
// another equilibrium with that support than the one the path approaches.
StatusOr<QreResult> LogitLimit(const GameView& game, const QreOptions& options = {});

// The QRE residual at (profile, lambda): the largest |ln s(a) - ln s(b) -
// lambda (u(a) - u(b))| over each player's strategies a, b. Zero exactly at a
// logit QRE; an independent check for tests and reports.
double QreResidual(const GameView& game, const MixedProfile& profile, double lambda);

}  // namespace parley
