// Checking text that users give Parley (scenario files, Gambit files, --set
// values) before it reaches any output: valid UTF-8, because JSON output
// needs it, and no control characters, because names and labels are printed
// to terminals, where ESC, BEL and the like would act instead of show. One
// rule, used by every reader; and an escape for messages that quote input.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace parley {

// Where `text` first breaks the rule, and what is there.
struct TextFault {
  size_t offset = 0;     // the byte where the fault starts
  int line = 1;          // 1-based; lines end at '\n'
  int column = 1;        // 1-based, in characters (a UTF-8 sequence is one)
  std::string what;      // "invalid UTF-8 (byte 0xff)", "the control character U+001B"
};

enum class TextKind {
  kFile,   // a whole file: tab, line feed and carriage return allowed
  kValue,  // one value (a name, a label, a description): tab and line feed allowed
};

// The first place where `text` is not valid UTF-8 (no overlong forms, no
// surrogates, nothing above U+10FFFF) or holds a control character: C0
// (U+0000-U+001F) other than those `kind` allows, DEL (U+007F), or C1
// (U+0080-U+009F). nullopt when the text is clean.
std::optional<TextFault> FindTextFault(std::string_view text, TextKind kind);

// `text` with every control character except line feed and tab, and every
// byte that is not valid UTF-8, written as \xNN: safe to print to a terminal.
std::string EscapeForTerminal(std::string_view text);

}  // namespace parley
