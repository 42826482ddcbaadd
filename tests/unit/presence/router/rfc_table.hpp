// Test helper: reads the two-column ASCII tables of RFC 7247 kept in ./data and returns each
// row's cells, trimmed. The data directory comes from FEDGATE_PRESENCE_TEST_DATA (CMake).
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace fedgate::presence::testing_support {

inline std::string trim(std::string s) {
  auto b = s.find_first_not_of(' ');
  auto e = s.find_last_not_of(' ');
  return b == std::string::npos ? std::string{} : s.substr(b, e - b + 1);
}

// Rows "| left | right |" of the file, header row (the first) excluded.
inline std::vector<std::pair<std::string, std::string>> read_rfc_table(const std::string& name) {
  std::ifstream in{std::string{FEDGATE_PRESENCE_TEST_DATA} + "/" + name};
  std::vector<std::pair<std::string, std::string>> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    auto a = line.find('|');
    auto b = line.find('|', a + 1);
    auto c = line.find('|', b + 1);
    if (a == std::string::npos || b == std::string::npos || c == std::string::npos) {
      continue;
    }
    if (header) {
      header = false;
      continue;
    }
    rows.emplace_back(trim(line.substr(a + 1, b - a - 1)), trim(line.substr(b + 1, c - b - 1)));
  }
  return rows;
}

}  // namespace fedgate::presence::testing_support
