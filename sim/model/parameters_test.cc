#include "sim/model/parameters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "sim/core/status_matchers.h"
#include "sim/model/model.h"

namespace parley {
namespace {

using ::testing::HasSubstr;

const std::vector<ParameterDecl>& Decls() {
  static const std::vector<ParameterDecl> decls = {
      ParameterDecl::Number("lambda", 1.0, 0.0, std::numeric_limits<double>::infinity(),
                            "precision"),
      ParameterDecl::Integer("k", 2, 0, 20, "depth"),
      ParameterDecl::Choice("updates", "simultaneous", {"simultaneous", "alternating"}, "order")};
  return decls;
}

TEST(ModelParameters, DefaultsThenSettingsInOrder) {
  auto p = ResolveParameters("m", Decls(), {});
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->Number("lambda"), 1.0);
  EXPECT_EQ(p->Integer("k"), 2);
  EXPECT_EQ(p->Choice("updates"), "simultaneous");
  EXPECT_EQ(p->ToString(), "lambda=1, k=2, updates=simultaneous");

  p = ResolveParameters("m", Decls(),
                        {{"lambda", "2.5", "a"}, {"updates", "alternating", "b"},
                         {"lambda", "0.1", "c"}, {"k", "20", "d"}});
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->Number("lambda"), 0.1) << "a later setting wins";
  EXPECT_EQ(p->Integer("k"), 20);
  EXPECT_EQ(p->ToString(), "lambda=0.1, k=20, updates=alternating");
}

TEST(ModelParameters, RefusesValuesOutsideTheirRange) {
  EXPECT_THAT(ResolveParameters("qre", Decls(), {{"lambda", "-1", "--model"}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "--model: model 'qre': parameter 'lambda' must be a number >= 0, got '-1'"));
  for (const char* bad : {"nan", "inf", "1e400", "", "2x", " 2"}) {
    EXPECT_THAT(ResolveParameters("qre", Decls(), {{"lambda", bad, "w"}}),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr("must be a number >= 0")))
        << bad;
  }
  EXPECT_THAT(ResolveParameters("m", Decls(), {{"k", "2.5", "w"}}),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("parameter 'k' must be a whole number from 0 to 20, got '2.5'")));
  EXPECT_THAT(ResolveParameters("m", Decls(), {{"k", "21", "w"}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("from 0 to 20")));
  EXPECT_THAT(ResolveParameters("m", Decls(), {{"updates", "random", "w"}}),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("must be one of: simultaneous, alternating, got 'random'")));
}

TEST(ModelParameters, UnknownNamesGetASuggestion) {
  EXPECT_THAT(ResolveParameters("qre", Decls(), {{"lamda", "2", "--set model.lamda"}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "--set model.lamda: model 'qre' has no parameter 'lamda'; did you mean "
                       "'lambda'? (parameters: lambda, k, updates)"));
  EXPECT_THAT(ResolveParameters("nash-pure", {}, {{"lambda", "2", "--model"}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "--model: model 'nash-pure' has no parameter 'lambda' (it takes none)"));
}

TEST(ModelParameters, ShortestTextReadsBackExactly) {
  for (const double x : {0.1, 1.0 / 3.0, 1e-300, 2.5, 1e6, 0.0}) {
    const std::string text = ShortestText(x);
    EXPECT_EQ(std::stod(text), x) << text;
  }
  EXPECT_EQ(ShortestText(0.1), "0.1");
  EXPECT_EQ(ShortestText(2.0), "2");
}

TEST(ModelRequest, ParsesNameAndParameters) {
  auto r = ParseModelRequest("qre", "--model");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->name, "qre");
  EXPECT_TRUE(r->parameters.empty());

  r = ParseModelRequest("fp:iterations=500,updates=alternating", "--model");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->name, "fp");
  ASSERT_EQ(r->parameters.size(), 2u);
  EXPECT_EQ(r->parameters[0].name, "iterations");
  EXPECT_EQ(r->parameters[0].value, "500");
  EXPECT_EQ(r->parameters[1].value, "alternating");
  EXPECT_EQ(r->parameters[1].where, "--model");

  for (const char* bad : {"", ":lambda=1", "qre:", "qre:lambda", "qre:=1", "qre:lambda=",
                          "qre:lambda=1,"}) {
    EXPECT_THAT(ParseModelRequest(bad, "--model"),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr("--model: expected")))
        << bad;
  }
}

}  // namespace
}  // namespace parley
