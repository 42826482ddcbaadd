// Headers fedgate does not interpret, kept verbatim and in order (STYLE.md B3).
// Owned by sip_codec; plain value, any thread. Names keep their case, except that compact
// forms are expanded (RFC 3261 §7.3.3); values are unfolded and trimmed (§7.3.1).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fedgate::sip {

struct Header {
  std::string name;
  std::string value;
  friend bool operator==(const Header&, const Header&) = default;
};

using HeaderList = std::vector<Header>;

// The first header named `name` (case-insensitive), or nullptr.
const Header* find_header(const HeaderList& headers, std::string_view name);
// Every value of `name`, in order.
std::vector<std::string_view> header_values(const HeaderList& headers, std::string_view name);

}  // namespace fedgate::sip
