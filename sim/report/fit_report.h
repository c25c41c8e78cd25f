// `parley fit` as text and JSON: the estimate of one model parameter, its
// profile-likelihood interval, the predicted against the observed choices,
// and every value evaluated (docs/reference/json-output.md#parley-fit).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/mc/fit.h"

namespace parley {

std::string FormatFitText(const FitResult& fit, double seconds);
nlohmann::ordered_json FitToJson(const FitResult& fit, double seconds);

}  // namespace parley
