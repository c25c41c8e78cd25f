// The Vega-Lite chart specs of the HTML report (https://vega.github.io/vega-lite/).
// Each builder takes its data as rows (JSON objects with the fields named
// below) and returns a complete spec, which the page embeds as it is. Every
// chart has fixed sizes, so that the page lays out the same in any browser,
// and confidence intervals are drawn as rules or bands from the given bounds:
// nothing is computed in the browser.
//
// Internal to sim/report (html_report_sections.cc builds the rows).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace parley::html {

using J = nlohmann::ordered_json;

// The width in pixels of the plotting area of most charts.
inline constexpr int kWidth = 520;

// A quantitative axis with `title` and a d3 number format (nullptr: the default).
J Axis(const std::string& title, const char* format = nullptr);

// An x domain that includes 0 and every [lo, hi] of `rows`, with room on either
// side for the value labels of HorizontalBars.
J PaddedDomain(const J& rows);

// Horizontal bars with CI rules and value labels: y = `category` (in row
// order), x = `value` with [lo, hi]. `percent` formats the axis and labels as
// percentages; a null `x_domain` lets Vega choose.
J HorizontalBars(J values, const std::string& x_title, bool percent, const J& x_domain,
                 const std::string& category_title);

// A tornado: one panel per outcome of `outcome_order` (stacked, sharing the x
// scale, titled by `outcome_titles`), arguments sorted by |value| within
// each, bars left (negative) or right (positive) of zero, CI rules when
// `with_ci`. Rows have argument, outcome, value, lo, hi. Outcomes without rows,
// or whose rows are all zero, get no panel; null when none has one.
J Tornado(const J& values, const std::vector<std::string>& outcome_order,
          const std::vector<std::string>& outcome_titles, const std::string& x_title, bool with_ci);

// Grouped horizontal bars with CI rules: y = `group` (in row order), one
// sub-bar per `series` in `series_order`. Rows have group, series, value, lo, hi.
J GroupedBars(J values, const std::vector<std::string>& series_order, const std::string& x_title,
              const std::string& group_title, const std::string& series_title, bool percent);

// Outcome probabilities against one swept value: a line per outcome (legend
// in the order of `outcome_labels`) with its CI band. Rows have x, outcome
// (a label), value, lo, hi.
J SweepLines(J rows, const std::string& x_title, const std::vector<std::string>& outcome_labels);

// One outcome's probability over two swept values: a heat map with the
// percentages written in the cells. Rows have x, y, value and ci (text, for
// the tooltip).
J SweepHeatMap(J rows, const std::string& x_title, const std::string& y_title);

// Morris screening: mu* against sigma, one labelled point per input. Rows
// have input, mu_star, sigma.
J MorrisScatter(J rows);

}  // namespace parley::html
