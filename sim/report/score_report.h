// The result of `parley score` (a back-test, sim/mc/scoring.h) as terminal
// text and as JSON (kind "score", docs/reference/json-output.md); the HTML
// report reads the JSON (html_report_score.cc).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/mc/scoring.h"

namespace parley {

// `seconds`: the whole command's time.
nlohmann::ordered_json ScoreToJson(const BackTest& test, double seconds);

// Conventions, per-episode forecasts, scores against the baselines and the
// reliability table of each model; ends with the timing line.
std::string FormatScoreText(const BackTest& test, double seconds);

// The short name of an episode in tables: its file's name without folders
// and without .yaml/.yml.
std::string EpisodeLabel(const std::string& file);

}  // namespace parley
