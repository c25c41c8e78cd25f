#include "sim/report/html_report_charts.h"

#include <algorithm>
#include <cmath>

namespace parley::html {
namespace {

// The numbers beside horizontal bars: right of the CI for values >= 0, left
// of it for negative ones.
J ValueLabels(bool negative, const char* format) {
  return {
      {"transform", J::array({{{"filter", negative ? "datum.value < 0" : "datum.value >= 0"}}})},
      {"mark",
       {{"type", "text"},
        {"align", negative ? "right" : "left"},
        {"dx", negative ? -4 : 4},
        {"fontSize", 11}}},
      {"encoding",
       {{"x", {{"field", negative ? "lo" : "hi"}, {"type", "quantitative"}}},
        {"text", {{"field", "value"}, {"type", "quantitative"}, {"format", format}}}}}};
}

}  // namespace

J Axis(const std::string& title, const char* format) {
  J axis = {{"title", title}, {"tickCount", 8}};
  if (format) axis["format"] = format;
  return axis;
}

J PaddedDomain(const J& rows) {
  double lo = 0, hi = 0;
  for (const J& row : rows) {
    lo = std::min(lo, row["lo"].get<double>());
    hi = std::max(hi, row["hi"].get<double>());
  }
  const double span = hi - lo > 0 ? hi - lo : 1.0;
  return J::array({lo < 0 ? lo - 0.18 * span : 0.0, hi > 0 ? hi + 0.18 * span : 0.0});
}

J HorizontalBars(J values, const std::string& x_title, bool percent, const J& x_domain,
                 const std::string& category_title) {
  J x = {{"field", "value"},
         {"type", "quantitative"},
         {"axis", Axis(x_title, percent ? ".0%" : nullptr)}};
  if (!x_domain.is_null()) x["scale"] = {{"domain", x_domain}};
  J tooltip = J::array({{{"field", "category"}, {"type", "nominal"}, {"title", category_title}},
                        {{"field", "value"},
                         {"type", "quantitative"},
                         {"title", x_title},
                         {"format", percent ? ".1%" : ".3f"}},
                        {{"field", "lo"},
                         {"type", "quantitative"},
                         {"title", "95% CI low"},
                         {"format", percent ? ".1%" : ".3f"}},
                        {{"field", "hi"},
                         {"type", "quantitative"},
                         {"title", "95% CI high"},
                         {"format", percent ? ".1%" : ".3f"}}});
  return {{"width", kWidth},
          {"height", {{"step", 24}}},
          {"data", {{"values", std::move(values)}}},
          {"encoding",
           {{"y",
             {{"field", "category"},
              {"type", "nominal"},
              {"sort", nullptr},
              {"axis",
               {{"title", category_title.empty() ? J(nullptr) : J(category_title)},
                {"labelLimit", 320}}}}}}},
          {"layer",
           J::array(
               {{{"mark", {{"type", "bar"}, {"color", "#4c78a8"}}},
                 {"encoding", {{"x", x}, {"tooltip", tooltip}}}},
                {{"mark", {{"type", "rule"}, {"color", "#222"}, {"strokeWidth", 1.5}}},
                 {"encoding",
                  {{"x", {{"field", "lo"}, {"type", "quantitative"}}}, {"x2", {{"field", "hi"}}}}}},
                ValueLabels(false, percent ? ".1%" : ".3f"),
                ValueLabels(true, percent ? ".1%" : ".3f")})}};
}

J Tornado(const J& values, const std::vector<std::string>& outcome_order,
          const std::vector<std::string>& outcome_titles, const std::string& x_title,
          bool with_ci) {
  J panels = J::array();
  for (size_t k = 0; k < outcome_order.size(); ++k) {
    const std::string& outcome = outcome_order[k];
    J rows = J::array();
    bool all_zero = true;  // e.g. "unresolved" when every sample was resolved
    for (const J& row : values) {
      if (row["outcome"] != outcome) continue;
      rows.push_back(row);
      all_zero &= row["value"] == 0.0 && row["lo"] == 0.0 && row["hi"] == 0.0;
    }
    if (rows.empty() || all_zero) continue;
    std::vector<const J*> sorted;
    for (const J& row : rows) sorted.push_back(&row);
    std::stable_sort(sorted.begin(), sorted.end(), [](const J* a, const J* b) {
      return std::fabs((*a)["value"].get<double>()) > std::fabs((*b)["value"].get<double>());
    });
    J order = J::array();
    for (const J* row : sorted) order.push_back((*row)["argument"]);

    J layers = J::array();
    layers.push_back(
        {{"mark", {{"type", "bar"}}},
         {"encoding",
          {{"x", {{"field", "value"}, {"type", "quantitative"}, {"axis", Axis(x_title, "+.0%")}}},
           {"color",
            {{"condition", {{"test", "datum.value < 0"}, {"value", "#e45756"}}},
             {"value", "#4c78a8"}}},
           {"tooltip",
            J::array({{{"field", "argument"}, {"type", "nominal"}, {"title", "Argument"}},
                      {{"field", "outcome"}, {"type", "nominal"}, {"title", "Outcome"}},
                      {{"field", "value"},
                       {"type", "quantitative"},
                       {"title", x_title},
                       {"format", "+.1%"}}})}}}});
    if (with_ci) {
      layers.push_back(
          {{"mark", {{"type", "rule"}, {"color", "#222"}}},
           {"encoding",
            {{"x", {{"field", "lo"}, {"type", "quantitative"}}}, {"x2", {{"field", "hi"}}}}}});
    }
    layers.push_back({{"mark", {{"type", "rule"}, {"color", "#888"}}},
                      {"encoding", {{"x", {{"datum", 0}, {"type", "quantitative"}}}}}});
    panels.push_back(
        {{"title", {{"text", outcome_titles[k]}, {"anchor", "start"}, {"fontSize", 12}}},
         {"width", kWidth - 100},
         {"height", {{"step", 18}}},
         {"data", {{"values", rows}}},
         {"encoding",
          {{"y",
            {{"field", "argument"},
             {"type", "nominal"},
             {"sort", order},
             {"axis", {{"title", nullptr}, {"labelLimit", 260}}}}}}},
         {"layer", layers}});
  }
  if (panels.empty()) return nullptr;
  return {{"vconcat", panels}, {"spacing", 14}, {"resolve", {{"scale", {{"x", "shared"}}}}}};
}

J GroupedBars(J values, const std::vector<std::string>& series_order, const std::string& x_title,
              const std::string& group_title, const std::string& series_title, bool percent) {
  const char* format = percent ? ".0%" : ".2f";
  return {
      {"width", kWidth},
      {"height", {{"step", 14}}},
      {"data", {{"values", std::move(values)}}},
      {"encoding",
       {{"y",
         {{"field", "group"},
          {"type", "nominal"},
          {"sort", nullptr},
          {"axis", {{"title", group_title}, {"labelLimit", 320}}}}},
        {"yOffset", {{"field", "series"}, {"type", "nominal"}, {"sort", series_order}}}}},
      {"layer",
       J::array(
           {{{"mark", {{"type", "bar"}}},
             {"encoding",
              {{"x",
                {{"field", "value"}, {"type", "quantitative"}, {"axis", Axis(x_title, format)}}},
               {"color",
                {{"field", "series"},
                 {"type", "nominal"},
                 {"sort", series_order},
                 {"title", series_title},
                 {"legend",
                  {{"orient", "bottom"}, {"direction", "vertical"}, {"labelLimit", 480}}}}},
               {"tooltip",
                J::array({{{"field", "group"}, {"type", "nominal"}, {"title", group_title}},
                          {{"field", "series"}, {"type", "nominal"}, {"title", series_title}},
                          {{"field", "value"},
                           {"type", "quantitative"},
                           {"title", x_title},
                           {"format", percent ? ".1%" : ".3f"}}})}}}},
            {{"mark", {{"type", "rule"}, {"color", "#222"}}},
             {"encoding",
              {{"x", {{"field", "lo"}, {"type", "quantitative"}}}, {"x2", {{"field", "hi"}}}}}}})}};
}

J SweepLines(J rows, const std::string& x_title, const std::vector<std::string>& outcome_labels) {
  const J x = {{"field", "x"},
               {"type", "quantitative"},
               {"axis", Axis(x_title)},
               {"scale", {{"zero", false}, {"nice", false}}}};
  const J color = {{"field", "outcome"},
                   {"type", "nominal"},
                   {"sort", outcome_labels},
                   {"title", "Outcome"},
                   {"legend",
                    {{"orient", "bottom"},
                     {"direction", "vertical"},
                     {"labelLimit", 480},
                     {"symbolOpacity", 1}}}};
  return J{
      {"width", kWidth},
      {"height", 300},
      {"data", {{"values", std::move(rows)}}},
      {"encoding", {{"x", x}, {"color", color}}},
      {"layer",
       J::array(
           {{{"mark", {{"type", "area"}, {"opacity", 0.2}}},
             {"encoding",
              {{"y", {{"field", "lo"}, {"type", "quantitative"}}}, {"y2", {{"field", "hi"}}}}}},
            {{"mark", {{"type", "line"}, {"point", true}}},
             {"encoding",
              {{"y",
                {{"field", "value"},
                 {"type", "quantitative"},
                 {"axis", Axis("Probability", ".0%")},
                 {"scale", {{"domain", J::array({0, 1})}}}}},
               {"tooltip",
                J::array({{{"field", "outcome"}, {"type", "nominal"}, {"title", "Outcome"}},
                          {{"field", "x"}, {"type", "quantitative"}, {"title", x_title}},
                          {{"field", "value"},
                           {"type", "quantitative"},
                           {"title", "Probability"},
                           {"format", ".1%"}},
                          {{"field", "lo"},
                           {"type", "quantitative"},
                           {"title", "95% CI low"},
                           {"format", ".1%"}},
                          {{"field", "hi"},
                           {"type", "quantitative"},
                           {"title", "95% CI high"},
                           {"format", ".1%"}}})}}}}})}};
}

J SweepHeatMap(J rows, const std::string& x_title, const std::string& y_title) {
  return {
      {"width", {{"step", 40}}},
      {"height", {{"step", 28}}},
      {"data", {{"values", std::move(rows)}}},
      {"encoding",
       {{"x",
         {{"field", "x"}, {"type", "ordinal"}, {"axis", {{"title", x_title}, {"labelAngle", 0}}}}},
        {"y",
         {{"field", "y"}, {"type", "ordinal"}, {"sort", "descending"}, {"axis", Axis(y_title)}}}}},
      {"layer",
       J::array({{{"mark", {{"type", "rect"}}},
                  {"encoding",
                   {{"color",
                     {{"field", "value"},
                      {"type", "quantitative"},
                      {"title", "Probability"},
                      {"scale", {{"domain", J::array({0, 1})}, {"scheme", "viridis"}}},
                      {"legend", {{"format", ".0%"}}}}},
                    {"tooltip",
                     J::array({{{"field", "x"}, {"type", "quantitative"}, {"title", x_title}},
                               {{"field", "y"}, {"type", "quantitative"}, {"title", y_title}},
                               {{"field", "value"},
                                {"type", "quantitative"},
                                {"title", "Probability"},
                                {"format", ".1%"}},
                               {{"field", "ci"}, {"type", "nominal"}, {"title", "95% CI"}}})}}}},
                 {{"mark", {{"type", "text"}, {"fontSize", 10}}},
                  {"encoding",
                   {{"text", {{"field", "value"}, {"type", "quantitative"}, {"format", ".0%"}}},
                    {"color",
                     {{"condition", {{"test", "datum.value > 0.6"}, {"value", "black"}}},
                      {"value", "white"}}}}}}})}};
}

J MorrisScatter(J rows) {
  const J tooltip = J::array(
      {{{"field", "input"}, {"type", "nominal"}, {"title", "Input"}},
       {{"field", "mu_star"}, {"type", "quantitative"}, {"title", "mu*"}, {"format", ".4f"}},
       {{"field", "sigma"}, {"type", "quantitative"}, {"title", "sigma"}, {"format", ".4f"}}});
  return J{
      {"width", kWidth},
      {"height", 320},
      {"data", {{"values", std::move(rows)}}},
      {"encoding",
       {{"x", {{"field", "mu_star"}, {"type", "quantitative"}, {"axis", Axis("mu*")}}},
        {"y", {{"field", "sigma"}, {"type", "quantitative"}, {"axis", Axis("sigma")}}}}},
      {"layer",
       J::array({{{"mark", {{"type", "point"}, {"filled", true}, {"size", 70}}},
                  {"encoding", {{"tooltip", tooltip}}}},
                 {{"mark",
                   {{"type", "text"}, {"align", "left"}, {"dx", 6}, {"dy", -4}, {"fontSize", 11}}},
                  {"encoding", {{"text", {{"field", "input"}, {"type", "nominal"}}}}}}})}};
}

}  // namespace parley::html
