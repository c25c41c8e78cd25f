// Status and StatusOr<T>: how library code reports errors that callers must
// handle (bad scenario files, bad options). Programmer errors are assertions.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace parley {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,    // bad user input: a scenario, an option, a file
  kNotFound,           // a named thing (file, model, argument) does not exist
  kResourceExhausted,  // the request would not fit in memory or time
  kInternal,           // a bug or an I/O failure
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status ResourceExhausted(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : data_(std::move(value)) {}        // NOLINT: implicit by design
  StatusOr(Status status) : data_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(data_).ok() && "StatusOr needs a non-OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(data_);
  }
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }  // `auto m = *MakeModel(...)`

 private:
  std::variant<T, Status> data_;
};

}  // namespace parley

// Returns early from the enclosing function when `expr` is not OK.
#define PARLEY_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::parley::Status parley_status_ = (expr);        \
    if (!parley_status_.ok()) return parley_status_; \
  } while (0)

// `PARLEY_ASSIGN_OR_RETURN(lhs, expr)`: evaluates `expr` (a StatusOr<T>);
// returns its Status from the enclosing function when it is not OK, and
// otherwise moves its value into `lhs`, which may declare a variable
// (`PARLEY_ASSIGN_OR_RETURN(auto game, GameModel::Compile(spec));`). It is
// several statements: under an `if`, use braces.
#define PARLEY_ASSIGN_OR_RETURN(lhs, expr) \
  PARLEY_ASSIGN_OR_RETURN_IMPL_(PARLEY_STATUS_CONCAT_(parley_statusor_, __LINE__), lhs, expr)
#define PARLEY_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
#define PARLEY_STATUS_CONCAT_(a, b) PARLEY_STATUS_CONCAT_IMPL_(a, b)
#define PARLEY_STATUS_CONCAT_IMPL_(a, b) a##b
