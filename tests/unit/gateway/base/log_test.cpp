#include "gateway/base/log.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace fedgate {
namespace {

std::string read_log(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::filesystem::path temp_log() {
  return std::filesystem::temp_directory_path() /
         ("fg-log-" + std::to_string(std::random_device{}()) + ".log");
}

TEST(Logger, WritesEventAndFieldsWithContextOnOneLine) {
  auto path = temp_log();
  init_logging({LogLevel::info, "n1", path.string()});
  Logger{}.with({{"conn", 7}}).info("sip.conn.up", {{"peer", "partner.example"}, {"n", 3}});
  auto text = read_log(path);
  EXPECT_NE(text.find("info node=n1 sip.conn.up conn=7 peer=partner.example n=3"),
            std::string::npos) << text;
  std::filesystem::remove(path);
}

TEST(Logger, QuotesValuesWithSpacesAndEscapesControlCharacters) {
  auto path = temp_log();
  init_logging({LogLevel::info, "n1", path.string()});
  Logger{}.warn("x.y", {{"reason", "bad \"thing\"\n"}});
  EXPECT_NE(read_log(path).find(R"(reason="bad \"thing\"\x0a")"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(Logger, DropsLinesBelowTheLevel) {
  auto path = temp_log();
  init_logging({LogLevel::warn, "n1", path.string()});
  Logger{}.info("hidden.event");
  Logger{}.error("shown.event");
  auto text = read_log(path);
  EXPECT_EQ(text.find("hidden.event"), std::string::npos);
  EXPECT_NE(text.find("shown.event"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(Logger, ParsesEveryLevelName) {
  for (auto l : {LogLevel::trace, LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error,
                 LogLevel::off}) {
    EXPECT_EQ(parse_log_level(to_string(l)), l);
  }
  EXPECT_FALSE(parse_log_level("verbose"));
}

}  // namespace
}  // namespace fedgate
