#include "core/telemetry/logger.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace strata::telemetry {
namespace {

// ts=YYYY-MM-DDTHH:MM:SS.mmmZ (no std::regex: GCC 12 warns inside it in sanitizer builds).
bool isTimestampField(const std::string& f) {
  const std::string shape = "ts=dddd-dd-ddTdd:dd:dd.dddZ";
  if (f.size() != shape.size()) return false;
  for (size_t i = 0; i < f.size(); ++i)
    if (shape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(f[i])) : f[i] != shape[i])
      return false;
  return true;
}

// Everything after the timestamp, which changes each run.
std::string afterTs(const std::string& line) {
  auto space = line.find(' ');
  return space == std::string::npos ? line : line.substr(space + 1);
}

TEST(Logger, FormatsLogfmt) {
  std::string line = formatLogLine(STRATA_LOG_INFO, "receiver/a", "started listening",
                                   {{"address", "127.0.0.1:9090"}, {"n", "3"}});
  EXPECT_TRUE(isTimestampField(line.substr(0, line.find(' ')))) << line;
  EXPECT_EQ(afterTs(line),
            "level=info component=receiver/a msg=\"started listening\" address=127.0.0.1:9090 n=3");
}

TEST(Logger, QuotesAndEscapesValues) {
  std::string line = formatLogLine(STRATA_LOG_ERROR, "host", "x",
                                   {{"q", "say \"hi\""},
                                    {"eq", "a=b"},
                                    {"nl", "two\nlines"},
                                    {"bs", "c:\\dir"},
                                    {"empty", ""},
                                    {"bad key", "v"}});
  EXPECT_EQ(afterTs(line),
            "level=error component=host msg=x q=\"say \\\"hi\\\"\" eq=\"a=b\" "
            "nl=\"two\\nlines\" bs=c:\\dir empty=\"\" bad_key=v");
}

TEST(Logger, ParsesLevels) {
  strata_log_level level = STRATA_LOG_INFO;
  EXPECT_TRUE(parseLogLevel("debug", &level));
  EXPECT_EQ(level, STRATA_LOG_DEBUG);
  EXPECT_TRUE(parseLogLevel("warn", &level));
  EXPECT_EQ(level, STRATA_LOG_WARN);
  EXPECT_TRUE(parseLogLevel("error", &level));
  EXPECT_EQ(level, STRATA_LOG_ERROR);
  EXPECT_FALSE(parseLogLevel("loud", &level));
  EXPECT_EQ(level, STRATA_LOG_ERROR);  // untouched on failure
}

TEST(Logger, FiltersByLevelAndWritesWholeLines) {
  testing::internal::CaptureStderr();
  setLogLevel(STRATA_LOG_WARN);
  log(STRATA_LOG_INFO, "c", "hidden");
  log(STRATA_LOG_WARN, "c", "shown");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([t] {
      for (int i = 0; i < 200; ++i)
        log(STRATA_LOG_ERROR, "c", "concurrent",
            {{"t", std::to_string(t)}, {"i", std::to_string(i)}});
    });
  for (auto& th : threads) th.join();
  setLogLevel(STRATA_LOG_INFO);
  std::string out = testing::internal::GetCapturedStderr();
  EXPECT_EQ(out.find("hidden"), std::string::npos);
  EXPECT_NE(out.find("msg=shown"), std::string::npos);
  // Every line is complete: nothing from another thread spliced into it.
  std::set<std::string> expected = {"level=warn component=c msg=shown"};
  for (int t = 0; t < 4; ++t)
    for (int i = 0; i < 200; ++i)
      expected.insert("level=error component=c msg=concurrent t=" + std::to_string(t) +
                      " i=" + std::to_string(i));
  size_t lines = 0, start = 0;
  for (size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1, ++lines) {
    std::string line = out.substr(start, nl - start);
    EXPECT_TRUE(isTimestampField(line.substr(0, line.find(' ')))) << line;
    EXPECT_EQ(expected.erase(afterTs(line)), 1u) << line;
  }
  EXPECT_TRUE(expected.empty());
  EXPECT_EQ(start, out.size());
  EXPECT_EQ(lines, 1u + 4 * 200);
}

}  // namespace
}  // namespace strata::telemetry
