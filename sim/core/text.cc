#include "sim/core/text.h"

#include <cstdint>

namespace parley {
namespace {

// The length of the valid UTF-8 sequence at text[i] and its code point, or
// 0 when the bytes there are not one.
size_t DecodeUtf8(std::string_view text, size_t i, uint32_t* code_point) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    *code_point = b0;
    return 1;
  }
  size_t length = 0;
  uint32_t cp = 0, min = 0;
  if ((b0 & 0xe0) == 0xc0) {
    length = 2, cp = b0 & 0x1f, min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    length = 3, cp = b0 & 0x0f, min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    length = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;  // a continuation byte, or 0xf8-0xff
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  *code_point = cp;
  return length;
}

bool IsControl(uint32_t cp) { return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f); }

std::string Hex(uint32_t x, int digits, bool upper = false) {
  const char* kHex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string s(static_cast<size_t>(digits), '0');
  for (int k = digits - 1; k >= 0; --k, x >>= 4) s[static_cast<size_t>(k)] = kHex[x & 15];
  return s;
}

std::string ControlName(uint32_t cp) {
  std::string name = "the control character U+" + Hex(cp, 4, /*upper=*/true);
  switch (cp) {
    case 0x00:
      return name + " (NUL)";
    case 0x07:
      return name + " (BEL)";
    case 0x08:
      return name + " (backspace)";
    case 0x0d:
      return name + " (carriage return)";
    case 0x1b:
      return name + " (ESC)";
    case 0x7f:
      return name + " (DEL)";
    default:
      return name;
  }
}

}  // namespace

std::optional<TextFault> FindTextFault(std::string_view text, TextKind kind) {
  int line = 1, column = 1;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    const size_t length = DecodeUtf8(text, i, &cp);
    std::string what;
    if (length == 0) {
      what = "invalid UTF-8 (byte 0x" + Hex(static_cast<unsigned char>(text[i]), 2) + ")";
    } else if (IsControl(cp) && cp != '\t' && cp != '\n' &&
               !(cp == '\r' && kind == TextKind::kFile)) {
      what = ControlName(cp);
    }
    if (!what.empty()) return TextFault{i, line, column, std::move(what)};
    if (cp == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += length;
  }
  return std::nullopt;
}

std::string EscapeForTerminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    const size_t length = DecodeUtf8(text, i, &cp);
    if (length == 0 || (IsControl(cp) && cp != '\t' && cp != '\n')) {
      // Each byte of an invalid or control sequence (C1 controls are two).
      for (size_t k = 0; k < (length == 0 ? 1 : length); ++k) {
        out += "\\x" + Hex(static_cast<unsigned char>(text[i + k]), 2);
      }
      i += length == 0 ? 1 : length;
      continue;
    }
    out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

}  // namespace parley
