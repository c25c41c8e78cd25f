#include "sim/report/progress.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace parley {
namespace {

std::string Contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string text;
  for (int c; (c = std::fgetc(f)) != EOF;) text += static_cast<char>(c);
  return text;
}

TEST(FormatProgress, BarPercentCountsRateAndEta) {
  // 45,000 of 100,000 in 9 s: 5,000/s, 55,000 left = 11 s.
  const std::string line = FormatProgress("sampling", "samples", 45000, 100000, 9.0, 100);
  EXPECT_NE(line.find("sampling ["), std::string::npos) << line;
  EXPECT_NE(line.find(" 45%"), std::string::npos) << line;
  EXPECT_NE(line.find("45,000/100,000 samples"), std::string::npos) << line;
  EXPECT_NE(line.find("5.0k/s"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 0:11"), std::string::npos) << line;
  // 45% of a bar of n columns is floor(0.45 n) hashes.
  const size_t open = line.find('['), close = line.find(']');
  const std::string bar = line.substr(open + 1, close - open - 1);
  EXPECT_EQ(std::count(bar.begin(), bar.end(), '#'),
            static_cast<long>(0.45 * static_cast<double>(bar.size())));
  EXPECT_LE(line.size(), 100u);
}

TEST(FormatProgress, StartNarrowAndLong) {
  EXPECT_NE(FormatProgress("x", "samples", 0, 10, 0.0).find("ETA --:--"), std::string::npos);
  EXPECT_NE(FormatProgress("x", "samples", 0, 10, 0.0).find("-/s"), std::string::npos);
  // Hours, and millions per second.
  const std::string slow = FormatProgress("x", "samples", 1, 10000, 1.0, 200);
  EXPECT_NE(slow.find("ETA 2:46:39"), std::string::npos) << slow;
  EXPECT_NE(FormatProgress("x", "samples", 3000000, 6000000, 1.0, 200).find("3.0M/s"),
            std::string::npos);
  // No room for a bar: the numbers only, never wider than asked.
  const std::string narrow = FormatProgress("label", "samples", 5, 10, 1.0, 40);
  EXPECT_EQ(narrow.find('['), std::string::npos);
  EXPECT_LE(narrow.size(), 40u);
  // Done: 100%, ETA 0:00.
  EXPECT_NE(FormatProgress("x", "samples", 10, 10, 2.0).find("100%"), std::string::npos);
}

TEST(ProgressBar, DisabledWritesNothing) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    ProgressBar bar("sampling", {.enabled = false, .out = f, .delay_seconds = 0});
    EXPECT_FALSE(static_cast<bool>(bar.Callback()));
    bar.Update(5, 10);
  }
  EXPECT_EQ(Contents(f), "");
  std::fclose(f);
}

TEST(ProgressBar, DrawsThrottledAndClearsTheLine) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    ProgressBar bar("sampling",
                    {.enabled = true, .out = f, .interval_seconds = 3600, .delay_seconds = 0});
    auto hook = bar.Callback();
    ASSERT_TRUE(static_cast<bool>(hook));
    hook(5, 10);
    hook(6, 10);  // within the interval: not drawn
  }
  const std::string text = Contents(f);
  EXPECT_EQ(text.rfind("\r\033[K"), text.size() - 4);  // cleared at the end
  EXPECT_NE(text.find("5/10 samples"), std::string::npos);
  EXPECT_EQ(text.find("6/10"), std::string::npos);
  std::fclose(f);
}

TEST(ProgressBar, ShortCommandsDrawNothing) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    ProgressBar bar("sampling", {.enabled = true, .out = f, .delay_seconds = 3600});
    bar.Update(5, 10);
  }
  EXPECT_EQ(Contents(f), "");
  std::fclose(f);
}

}  // namespace
}  // namespace parley
