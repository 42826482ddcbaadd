// Lookups in the verbatim header list.
#include "sip/codec/header.hpp"

#include "sip/codec/grammar.hpp"

namespace fedgate::sip {

const Header* find_header(const HeaderList& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (grammar::iequals(h.name, name)) {
      return &h;
    }
  }
  return nullptr;
}

std::vector<std::string_view> header_values(const HeaderList& headers, std::string_view name) {
  std::vector<std::string_view> out;
  for (const auto& h : headers) {
    if (grammar::iequals(h.name, name)) {
      out.push_back(h.value);
    }
  }
  return out;
}

}  // namespace fedgate::sip
