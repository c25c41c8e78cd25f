#include "sim/game/gambit_lexer.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <system_error>

#include "sim/core/text.h"

namespace parley::gambit {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool EndsWord(char c) { return IsSpace(c) || c == '{' || c == '}' || c == ',' || c == '"'; }
size_t SkipDigits(std::string_view s, size_t i) {
  while (i < s.size() && IsDigit(s[i])) ++i;
  return i;
}

// True when the unsigned decimal `s` (already syntax-checked, nonzero) is below
// the smallest double, i.e. its leading digit's decimal exponent is negative.
bool Underflows(std::string_view s) {
  const size_t e = s.find_first_of("eE");
  const std::string_view mantissa = s.substr(0, e);
  size_t point = mantissa.find('.');
  if (point == std::string_view::npos) point = mantissa.size();
  const size_t first = mantissa.find_first_not_of("0.");
  if (first == std::string_view::npos) return false;
  int64_t order = first < point ? static_cast<int64_t>(point - first) - 1
                                : -static_cast<int64_t>(first - point);
  if (e != std::string_view::npos) {
    std::string_view exp = s.substr(e + 1);
    const bool negative = !exp.empty() && exp[0] == '-';
    if (!exp.empty() && (exp[0] == '-' || exp[0] == '+')) exp.remove_prefix(1);
    int64_t value = 0;
    for (char c : exp) value = std::min<int64_t>(value * 10 + (c - '0'), 1'000'000'000);
    order += negative ? -value : value;
  }
  return order < 0;
}

// Converts an unsigned, syntax-checked decimal to the nearest double; values
// below the smallest subnormal round to zero. False if it exceeds DBL_MAX.
bool DecimalToDouble(std::string_view s, double* out) {
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  if (ec == std::errc() && ptr == s.data() + s.size()) return std::isfinite(*out);
  if (ec == std::errc::result_out_of_range && Underflows(s)) {
    *out = 0.0;
    return true;
  }
  return false;
}

}  // namespace

bool AllDigits(std::string_view s) { return !s.empty() && SkipDigits(s, 0) == s.size(); }

std::string Clip(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 40) return out + "...";
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += s[i];
    }
  }
  return out;
}

// Built by appending: GCC 12 warns wrongly (-Wrestrict) about
// "x" + std::string + "x".
std::string Enclosed(char quote, std::string_view s) {
  std::string out(1, quote);
  out += Clip(s);
  out += quote;
  return out;
}

std::string Shortest(double x) {
  char buffer[32];
  const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  assert(ec == std::errc());
  return std::string(buffer, ptr);
}

void AppendQuoted(std::string* out, std::string_view s) {
  *out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') *out += '\\';
    *out += c;
  }
  *out += '"';
}

Status Lexer::ErrorAt(int line, int column, const std::string& found,
                      const std::string& expected) const {
  return InvalidArgument(name_ + ":" + std::to_string(line) + ":" + std::to_string(column) +
                         ": error: found " + found + ", expected " + expected);
}

std::string Lexer::Describe(const Token& t) {
  switch (t.kind) {
    case TokenKind::kLBrace:
      return "'{'";
    case TokenKind::kRBrace:
      return "'}'";
    case TokenKind::kComma:
      return "','";
    case TokenKind::kString:
      return "the string " + Quoted(t.text);
    case TokenKind::kWord:
      return Enclosed('\'', t.text);
    case TokenKind::kEnd:
      break;
  }
  return "end of file";
}

char Lexer::Bump() {
  const char c = text_[pos_++];
  if (c == '\n') {
    ++line_;
    column_ = 1;
  } else {
    ++column_;
  }
  return c;
}

Status Lexer::Advance() {
  while (pos_ < text_.size() && IsSpace(text_[pos_])) Bump();
  tok_.text.clear();
  tok_.line = line_;
  tok_.column = column_;
  if (pos_ == text_.size()) {
    tok_.kind = TokenKind::kEnd;
    return OkStatus();
  }
  const char c = Bump();
  if (c == '{' || c == '}' || c == ',') {
    tok_.kind = c == '{' ? TokenKind::kLBrace : c == '}' ? TokenKind::kRBrace : TokenKind::kComma;
    return OkStatus();
  }
  if (c == '"') {
    tok_.kind = TokenKind::kString;
    while (true) {
      if (pos_ == text_.size()) {
        return Error(tok_, "a string that is never closed",
                     "a closing '\"' before the end of the file");
      }
      const char d = Bump();
      if (d == '"') return OkStatus();
      // \" and \\ are escapes; a backslash before anything else is kept.
      if (d == '\\' && pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '\\')) {
        tok_.text += Bump();
      } else {
        tok_.text += d;
      }
    }
  }
  tok_.kind = TokenKind::kWord;
  tok_.text += c;
  while (pos_ < text_.size() && !EndsWord(text_[pos_])) tok_.text += Bump();
  return OkStatus();
}

Status Lexer::CheckNoNul(const std::string& what) const {
  const size_t nul = text_.find('\0');
  if (nul == std::string_view::npos) return OkStatus();
  int line = 1, column = 1;
  for (size_t i = 0; i < nul; ++i) {
    if (text_[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return ErrorAt(line, column, "a NUL byte", "text (" + what + " has no NUL bytes)");
}

Status Lexer::CheckText(const std::string& what) const {
  PARLEY_RETURN_IF_ERROR(CheckNoNul(what));
  if (const auto fault = FindTextFault(text_, TextKind::kFile)) {
    return ErrorAt(fault->line, fault->column, fault->what,
                   "UTF-8 text without control characters (" + what + " is text)");
  }
  return OkStatus();
}

Lexer::NumberError Lexer::ParseNumber(double* out) const {
  if (!Is(TokenKind::kWord)) return NumberError::kNotAWord;
  std::string_view s = tok_.text;
  const bool negative = s[0] == '-';
  if (s[0] == '-' || s[0] == '+') s.remove_prefix(1);

  const size_t slash = s.find('/');
  if (slash != std::string_view::npos) {
    const std::string_view num = s.substr(0, slash), den = s.substr(slash + 1);
    if (!AllDigits(num) || !AllDigits(den)) return NumberError::kSyntax;
    if (den.find_first_not_of('0') == std::string_view::npos) return NumberError::kZeroDenominator;
    double n = 0, d = 0;
    if (!DecimalToDouble(num, &n) || !DecimalToDouble(den, &d)) {
      return NumberError::kRationalOverflow;
    }
    *out = negative ? -(n / d) : n / d;
    return NumberError::kNone;
  }

  size_t i = SkipDigits(s, 0);
  size_t mantissa_digits = i;
  if (i < s.size() && s[i] == '.') {
    const size_t j = SkipDigits(s, i + 1);
    mantissa_digits += j - i - 1;
    i = j;
  }
  if (mantissa_digits == 0) return NumberError::kSyntax;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t j = SkipDigits(s, i);
    if (j == i) return NumberError::kSyntax;
    i = j;
  }
  if (i != s.size()) return NumberError::kSyntax;
  double v = 0;
  if (!DecimalToDouble(s, &v)) return NumberError::kOverflow;
  *out = negative ? -v : v;
  return NumberError::kNone;
}

Lexer::NumberError Lexer::ParseWholeNumber(int64_t* out) const {
  if (!Is(TokenKind::kWord) || !AllDigits(tok_.text)) return NumberError::kNotAWord;
  const auto [ptr, ec] =
      std::from_chars(tok_.text.data(), tok_.text.data() + tok_.text.size(), *out);
  return ec == std::errc() ? NumberError::kNone : NumberError::kWholeOverflow;
}

Status Lexer::NumberStatus(NumberError e, const std::string& expected) const {
  const std::string found = Enclosed('\'', tok_.text);
  switch (e) {
    case NumberError::kNone:
      break;
    case NumberError::kNotAWord:
      return Expected(expected);
    case NumberError::kSyntax:
      return Error(tok_, found, expected);
    case NumberError::kZeroDenominator:
      return Error(tok_, found + ", a division by zero",
                   "a rational number with a nonzero denominator");
    case NumberError::kRationalOverflow:
      return Error(tok_, found + ", whose numerator or denominator is not a finite double",
                   "a rational number with both parts at most 1.7976931348623157e308");
    case NumberError::kOverflow:
      return Error(tok_, found + ", which is not a finite double",
                   "a number of magnitude at most 1.7976931348623157e308");
    case NumberError::kWholeOverflow:
      return Error(tok_, found + ", which is larger than 9223372036854775807", expected);
  }
  return OkStatus();
}

}  // namespace parley::gambit
