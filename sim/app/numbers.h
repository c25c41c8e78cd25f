// Numbers given as text in a request (a flag's value), parsed the one way
// every command reports: whole numbers for seeds and sample indices.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "sim/core/status.h"

namespace parley {

// Parses a whole number in [0, 2^64) for `flag` (named in the message, e.g.
// "--seed must be a whole number from 0 to 18446744073709551615, got 'x'").
StatusOr<uint64_t> ParseUnsigned(const std::string& flag, const std::string& text);

// Parses "LOW,HIGH", two finite numbers with LOW below HIGH, for `flag`.
StatusOr<std::pair<double, double>> ParseRange(const std::string& flag, const std::string& text);

}  // namespace parley
