// Bytes: a flat, exact encoding of numbers and arrays of numbers, for the
// partial results that the ranks of a distributed run send each other
// (sim/core/ranks.h). Values are copied bit for bit (a double arrives as
// the same double), in the sender's byte order: every rank of a run is the
// same binary on the same kind of machine. Hand-written rather than
// Boost.Serialization because the messages are a few flat arrays, read back
// by the code that wrote them.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace parley {

class ByteWriter {
 public:
  template <typename T>
  void Put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  // A count, then the values.
  template <typename T>
  void PutVector(const std::vector<T>& values) {
    PutArray(values.data(), static_cast<int64_t>(values.size()));
  }
  template <typename T>
  void PutArray(const T* values, int64_t count) {
    static_assert(std::is_trivially_copyable_v<T>);
    Put<int64_t>(count);
    if (count > 0) {
      bytes_.append(reinterpret_cast<const char*>(values), static_cast<size_t>(count) * sizeof(T));
    }
  }
  const std::string& bytes() const { return bytes_; }
  std::string Take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

// Reads what a ByteWriter wrote, in the same order. A read past the end, or
// a count that does not fit, makes ok() false and leaves the value as it
// was (the reader then reads nothing more).
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  template <typename T>
  bool Get(T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!ok_ || bytes_.size() - at_ < sizeof(T)) return ok_ = false;
    std::memcpy(&value, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return true;
  }
  template <typename T>
  bool GetVector(std::vector<T>& values) {
    int64_t count = 0;
    if (!Get(count) || count < 0 ||
        static_cast<uint64_t>(count) > (bytes_.size() - at_) / sizeof(T)) {
      return ok_ = false;
    }
    values.resize(static_cast<size_t>(count));
    return GetArray(values.data(), count, /*counted=*/true);
  }
  // Reads `count` values into `out` (written with PutArray of that count).
  template <typename T>
  bool GetArray(T* out, int64_t count, bool counted = false) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!counted) {
      int64_t written = 0;
      if (!Get(written) || written != count) return ok_ = false;
    }
    const size_t size = static_cast<size_t>(count) * sizeof(T);
    if (!ok_ || count < 0 || bytes_.size() - at_ < size) return ok_ = false;
    if (size > 0) std::memcpy(out, bytes_.data() + at_, size);
    at_ += size;
    return true;
  }
  bool ok() const { return ok_; }
  bool done() const { return ok_ && at_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  size_t at_ = 0;
  bool ok_ = true;
};

}  // namespace parley
