#include "sim/core/status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "sim/core/status_matchers.h"

namespace parley {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

StatusOr<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgument("odd: " + std::to_string(x));
  return x / 2;
}

StatusOr<int> Quarter(int x) {
  PARLEY_ASSIGN_OR_RETURN(const int half, Half(x));
  PARLEY_ASSIGN_OR_RETURN(int quarter, Half(half));  // two in one scope
  return quarter;
}

StatusOr<std::unique_ptr<int>> Boxed(int x) {
  if (x < 0) return NotFound("negative");
  return std::make_unique<int>(x);
}

Status StoreBoxed(int x, std::unique_ptr<int>& out) {
  PARLEY_ASSIGN_OR_RETURN(out, Boxed(x));  // an existing variable, a move-only value
  return OkStatus();
}

TEST(StatusTest, AssignOrReturnPassesValuesAndReturnsErrors) {
  EXPECT_THAT(Quarter(8), IsOk());
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_THAT(Quarter(6), StatusIs(StatusCode::kInvalidArgument, "odd: 3"));
  EXPECT_THAT(Quarter(5), StatusIs(StatusCode::kInvalidArgument, "odd: 5"));

  std::unique_ptr<int> box;
  EXPECT_THAT(StoreBoxed(7, box), IsOk());
  ASSERT_NE(box, nullptr);
  EXPECT_EQ(*box, 7);
  EXPECT_THAT(StoreBoxed(-1, box), StatusIs(StatusCode::kNotFound));
  EXPECT_EQ(*box, 7) << "a failed assignment leaves the target alone";
}

TEST(StatusTest, MatchersRejectWhatTheyShould) {
  EXPECT_THAT(OkStatus(), Not(StatusIs(StatusCode::kInvalidArgument)));
  EXPECT_THAT(Internal("disk full"), Not(IsOk()));
  EXPECT_THAT(Internal("disk full"), StatusIs(StatusCode::kInternal, HasSubstr("full")));
  EXPECT_THAT(Internal("disk full"), Not(StatusIs(StatusCode::kInternal, HasSubstr("empty"))));
  EXPECT_THAT(Internal("disk full"), Not(StatusIs(StatusCode::kNotFound, HasSubstr("full"))));
  EXPECT_THAT(StatusOr<int>(3), IsOk());
  EXPECT_THAT(StatusOr<int>(NotFound("x")), Not(IsOk()));
  EXPECT_FALSE(::testing::Value(Internal("x"), IsOk()));
}

TEST(StatusTest, MatcherDescriptionsNameTheCode) {
  EXPECT_EQ(::testing::DescribeMatcher<Status>(StatusIs(StatusCode::kNotFound)),
            "is a status with code NOT_FOUND");
  EXPECT_EQ(::testing::DescribeMatcher<Status>(IsOk()), "is OK");
}

}  // namespace
}  // namespace parley
