#include "sim/core/text.h"

#include <gtest/gtest.h>

#include <string>

namespace parley {
namespace {

using namespace std::string_literals;

TEST(TextFault, CleanUtf8PassesInBothKinds) {
  for (const std::string& s :
       {""s, "plain ASCII"s, "Zelensky–Putin talks"s, "Türkiye, 日本, 🙂"s,
        "two\nlines\twith a tab"s, "\xef\xbb\xbf" "BOM first"s}) {
    EXPECT_FALSE(FindTextFault(s, TextKind::kFile).has_value()) << s;
    EXPECT_FALSE(FindTextFault(s, TextKind::kValue).has_value()) << s;
  }
  EXPECT_FALSE(FindTextFault("a\r\nb", TextKind::kFile).has_value());
}

TEST(TextFault, InvalidUtf8IsFoundWithItsPosition) {
  // A lone continuation byte, a truncated sequence, an overlong '/', a
  // surrogate, a code point past U+10FFFF, a byte never used in UTF-8.
  for (const std::string& bad : {"\x80"s, "\xc3"s, "\xe2\x82"s, "\xc0\xaf"s, "\xed\xa0\x80"s,
                                 "\xf4\x90\x80\x80"s, "\xff"s}) {
    const std::string text = "ok\né" + bad + "tail";
    const auto fault = FindTextFault(text, TextKind::kFile);
    ASSERT_TRUE(fault.has_value()) << text;
    EXPECT_EQ(fault->offset, 5u);
    EXPECT_EQ(fault->line, 2);
    EXPECT_EQ(fault->column, 2);  // 'é' is one character
    EXPECT_NE(fault->what.find("invalid UTF-8"), std::string::npos) << fault->what;
  }
}

TEST(TextFault, ControlCharactersAreFound) {
  const auto esc = FindTextFault("red \x1b[31m", TextKind::kValue);
  ASSERT_TRUE(esc.has_value());
  EXPECT_EQ(esc->column, 5);
  EXPECT_EQ(esc->what, "the control character U+001B (ESC)");
  EXPECT_EQ(FindTextFault("ding\a", TextKind::kValue)->what, "the control character U+0007 (BEL)");
  EXPECT_EQ(FindTextFault("nul\0x"s, TextKind::kFile)->what,
            "the control character U+0000 (NUL)");
  EXPECT_EQ(FindTextFault("del\x7f", TextKind::kFile)->what, "the control character U+007F (DEL)");
  // C1 controls, as UTF-8 (U+009B is a one-character CSI on some terminals).
  EXPECT_EQ(FindTextFault("csi\xc2\x9b", TextKind::kValue)->what, "the control character U+009B");
  // A carriage return is part of a CRLF file, but not of a value.
  EXPECT_TRUE(FindTextFault("a\rb", TextKind::kValue).has_value());
}

TEST(EscapeForTerminal, EscapesControlsAndBadBytesAndKeepsText) {
  EXPECT_EQ(EscapeForTerminal("a\x1b[2Jb\a"), "a\\x1b[2Jb\\x07");
  EXPECT_EQ(EscapeForTerminal("x\xffy\xc2\x9bz"), "x\\xffy\\xc2\\x9bz");
  EXPECT_EQ(EscapeForTerminal("línea 1\n\tlínea 2 🙂"), "línea 1\n\tlínea 2 🙂");
}

}  // namespace
}  // namespace parley
