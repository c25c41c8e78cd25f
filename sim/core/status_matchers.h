// gMock matchers for Status and StatusOr<T>, for tests:
//   EXPECT_THAT(LoadScenarioFile(path), IsOk());
//   EXPECT_THAT(f(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("line 3")));
// A failing match prints the status's code and message.
#pragma once

#include <gmock/gmock.h>

#include <ostream>
#include <string>

#include "sim/core/status.h"

namespace parley {

inline const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case StatusCode::kNotFound:
      return "NOT_FOUND";
    case StatusCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case StatusCode::kInternal:
      return "INTERNAL";
  }
  return "?";
}

inline void PrintTo(StatusCode code, std::ostream* os) { *os << StatusCodeName(code); }
inline void PrintTo(const Status& status, std::ostream* os) {
  *os << StatusCodeName(status.code());
  if (!status.ok()) *os << ": " << status.message();
}
template <typename T>
void PrintTo(const StatusOr<T>& value, std::ostream* os) {
  PrintTo(value.status(), os);
}

namespace status_internal {
inline const Status& GetStatus(const Status& status) { return status; }
template <typename T>
const Status& GetStatus(const StatusOr<T>& value) {
  return value.status();
}
}  // namespace status_internal

// Matches an OK Status, or a StatusOr that holds a value.
MATCHER(IsOk, negation ? "is not OK" : "is OK") {
  return status_internal::GetStatus(arg).ok();
}

// Matches a Status (or StatusOr) with `code` and, optionally, a message
// matching `message` (a string or any string matcher).
MATCHER_P(StatusIs, code,
          std::string(negation ? "is not" : "is") + " a status with code " +
              StatusCodeName(code)) {
  return status_internal::GetStatus(arg).code() == code;
}
MATCHER_P2(StatusIs, code, message,
           std::string(negation ? "is not" : "is") + " a status with code " +
               StatusCodeName(code) + " and a message that " +
               ::testing::DescribeMatcher<std::string>(message)) {
  const Status& status = status_internal::GetStatus(arg);
  return status.code() == code &&
         ::testing::SafeMatcherCast<const std::string&>(message).MatchAndExplain(
             status.message(), result_listener);
}

}  // namespace parley
