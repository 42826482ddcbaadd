// Parameter lists (RFC 3261 §25.1 generic-param).
#include "sip/codec/param.hpp"

#include "sip/codec/grammar.hpp"

namespace fedgate::sip {

const Param* find_param(const Params& params, std::string_view name) {
  for (const auto& p : params) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

std::optional<std::string> param_value(const Params& params, std::string_view name) {
  const Param* p = find_param(params, name);
  if (p == nullptr) {
    return std::nullopt;
  }
  if (!p->value) {
    return std::string{};
  }
  const std::string& v = *p->value;
  if (v.size() >= 2 && v.front() == '"') {
    grammar::Cursor c{v};
    std::string decoded;
    if (grammar::scan_quoted(c, &decoded, nullptr)) {
      return decoded;
    }
  }
  return v;
}

void set_param(Params& params, std::string_view name, std::optional<std::string> value) {
  for (auto& p : params) {
    if (p.name == name) {
      p.value = std::move(value);
      return;
    }
  }
  params.push_back(Param{std::string(name), std::move(value)});
}

void append_params(std::string& out, const Params& params) {
  for (const auto& p : params) {
    out.push_back(';');
    out += p.name;
    if (p.value) {
      out.push_back('=');
      out += *p.value;
    }
  }
}

}  // namespace fedgate::sip
