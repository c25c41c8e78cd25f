// Why a solver stopped: the termination status that every solver's result
// carries (sim/solve/solver.h), and the logit path's (sim/solve/qre.h).
// Callers test the enum, never the text, which is for people.
#pragma once

#include <string_view>

namespace parley {

enum class Termination {
  kComplete,           // an exact method ran to the end: its equilibria are all it finds
  kReachedLambda,      // the logit path reached the requested lambda (qre)
  kNashTolerance,      // the path's profile is a Nash equilibrium to the tolerance (logit)
  kPolishedOnSupport,  // ... once solved exactly on the path's support (logit)
  kMaxLambda,          // the path gave up: lambda passed its maximum first
  kMaxSteps,           // the path gave up: it took the most predictor steps allowed
};

// "complete", "reached lambda", "nash tolerance", "nash tolerance (polished
// on the support)", "max lambda", "max steps".
constexpr std::string_view TerminationName(Termination t) {
  switch (t) {
    case Termination::kComplete:
      return "complete";
    case Termination::kReachedLambda:
      return "reached lambda";
    case Termination::kNashTolerance:
      return "nash tolerance";
    case Termination::kPolishedOnSupport:
      return "nash tolerance (polished on the support)";
    case Termination::kMaxLambda:
      return "max lambda";
    case Termination::kMaxSteps:
      return "max steps";
  }
  return "?";
}

// Whether the method met its goal: everything but giving up.
constexpr bool Converged(Termination t) {
  return t != Termination::kMaxLambda && t != Termination::kMaxSteps;
}

}  // namespace parley
