// The lexical layer shared by the readers of Gambit's text formats (.nfg and
// .efg): tokens, positions, number syntax and the wording of error messages,
// so both readers accept the same numbers and report errors the same way.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/core/status.h"

namespace parley::gambit {

enum class TokenKind { kLBrace, kRBrace, kComma, kString, kWord, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // a string's unescaped contents or a word's characters
  int line = 1;
  int column = 1;
};

// True for a nonempty run of the digits 0-9.
bool AllDigits(std::string_view s);

// For messages: at most 40 characters, control bytes shown as \xNN.
std::string Clip(std::string_view s);
// Clip(s) in the given quotes.
std::string Enclosed(char quote, std::string_view s);
inline std::string Quoted(std::string_view s) { return Enclosed('"', s); }
// The shortest decimal that reads back as x.
std::string Shortest(double x);
// Appends s as a Gambit string literal ("..." with \" and \\ escaped).
void AppendQuoted(std::string* out, std::string_view s);

// A reader's tokenizer and error reporting. A reader derives from it and
// walks the file with Advance(), looking at tok_.
class Lexer {
 public:
  // `name` (the file name shown in messages) must outlive the lexer.
  Lexer(std::string_view text, const std::string& name) : name_(name), text_(text) {}

 protected:
  Status Advance();  // reads the next token into tok_
  size_t text_size() const { return text_.size(); }

  bool Is(TokenKind kind) const { return tok_.kind == kind; }
  bool IsWord(std::string_view w) const { return Is(TokenKind::kWord) && tok_.text == w; }

  // "NAME:LINE:COL: error: found FOUND, expected EXPECTED".
  Status ErrorAt(int line, int column, const std::string& found, const std::string& expected) const;
  Status Error(const Token& at, const std::string& found, const std::string& expected) const {
    return ErrorAt(at.line, at.column, found, expected);
  }
  // An error at the current token, which is described as what was found.
  Status Expected(const std::string& expected) const {
    return Error(tok_, Describe(tok_), expected);
  }
  static std::string Describe(const Token& t);

  // Refuses text with a NUL byte, naming its position; `what` says what
  // the file should be ("a .efg file").
  Status CheckNoNul(const std::string& what) const;
  // CheckNoNul, then refuses text that is not UTF-8 or holds control
  // characters other than tab, line feed and carriage return (labels and
  // titles reach JSON, which needs UTF-8, and terminals), naming the first.
  Status CheckText(const std::string& what) const;

  // Reads the current word as a number: [+-] digits [. digits] [(e|E) [+-]
  // digits] (with a digit somewhere in the mantissa) or [+-] digits / digits.
  // `expected()` gives the message's "expected ..." part; it is only called
  // on errors, so callers can describe the position lazily.
  template <typename Expectation>
  Status ReadNumber(const Expectation& expected, double* out) const {
    const NumberError e = ParseNumber(out);
    return e == NumberError::kNone ? OkStatus() : NumberStatus(e, expected());
  }
  Status ReadNumber(const std::string& expected, double* out) const {
    return ReadNumber([&] { return expected; }, out);
  }
  // Reads the current word as a non-negative whole number.
  template <typename Expectation>
  Status ReadWholeNumber(const Expectation& expected, int64_t* out) const {
    const NumberError e = ParseWholeNumber(out);
    return e == NumberError::kNone ? OkStatus() : NumberStatus(e, expected());
  }

  Token tok_;
  const std::string& name_;

 private:
  enum class NumberError {
    kNone,
    kNotAWord,
    kSyntax,
    kZeroDenominator,
    kRationalOverflow,
    kOverflow,
    kWholeOverflow,
  };
  char Bump();
  NumberError ParseNumber(double* out) const;
  NumberError ParseWholeNumber(int64_t* out) const;
  Status NumberStatus(NumberError e, const std::string& expected) const;

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace parley::gambit
