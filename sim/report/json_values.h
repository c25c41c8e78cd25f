// Small conversions the JSON writers of sim/report share: an interval as a
// two-element array, a number as the shortest text that reads back as it.
#pragma once

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>

#include "sim/mc/summary.h"

namespace parley {

inline nlohmann::ordered_json IntervalPair(const Interval& ci) { return {ci.low, ci.high}; }

inline std::string NumberText(double x) { return fmt::format("{}", x); }

}  // namespace parley
