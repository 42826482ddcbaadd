// Ms-Keep-Alive (MS-CONMGMT §2.2.1):
//   ms-keep-alive-value = ms-keep-alive-role *(SEMI ms-keep-alive-capability)
//                         [SEMI ms-keep-alive-timeout] *(SEMI generic-param)
//   ms-keep-alive-role = "UAC" / "UAS";  capability = mechanism EQUAL ("yes" / "no")
//   mechanism = "hop-hop" / "end-end" / "tcp" / token;  timeout = "timeout" EQUAL 1*DIGIT
#include "sip/transport/ms_keep_alive.hpp"

#include <limits>

#include "sip/codec/grammar.hpp"
#include "sip/transport/transport_error.hpp"

namespace fedgate::sip {
namespace {

std::optional<bool> yes_no(const std::optional<std::string>& value) {
  if (value && grammar::iequals(*value, "yes")) {
    return true;
  }
  if (value && grammar::iequals(*value, "no")) {
    return false;
  }
  return std::nullopt;
}

std::optional<std::uint32_t> seconds(const std::optional<std::string>& value) {
  if (!value || value->empty() || value->size() > 10) {
    return std::nullopt;
  }
  std::uint64_t n = 0;
  for (char c : *value) {
    if (!grammar::is_digit(c)) {
      return std::nullopt;
    }
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (n > std::numeric_limits<std::uint32_t>::max()) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(n);
}

// Moves the parameter into its typed field; false when its value is malformed.
bool take(MsKeepAlive& k, Param& p) {
  std::optional<bool>* capability = p.name == "hop-hop"   ? &k.hop_hop
                                    : p.name == "end-end" ? &k.end_end
                                    : p.name == "tcp"     ? &k.tcp
                                                          : nullptr;
  if (capability != nullptr) {
    *capability = yes_no(p.value);
    return capability->has_value();
  }
  if (p.name == "timeout") {
    k.timeout = seconds(p.value);
    return k.timeout.has_value();
  }
  k.extensions.push_back(std::move(p));
  return true;
}

void append_yes_no(std::string& out, std::string_view name, const std::optional<bool>& v) {
  if (v) {
    out += "; ";
    out += name;
    out += *v ? "=yes" : "=no";
  }
}

}  // namespace

result<MsKeepAlive> MsKeepAlive::parse(std::string_view value) {
  grammar::Cursor c{value};
  c.skip_ws();
  auto role = grammar::scan_token(c);
  MsKeepAlive k;
  if (grammar::iequals(role, "UAC")) {
    k.role = Role::uac;
  } else if (grammar::iequals(role, "UAS")) {
    k.role = Role::uas;
  } else {
    return make_error_code(TransportErrc::bad_ms_keep_alive);
  }
  Params params;
  if (!grammar::parse_header_params(c, params) || !c.done()) {
    return make_error_code(TransportErrc::bad_ms_keep_alive);
  }
  for (auto& p : params) {
    if (!take(k, p)) {
      return make_error_code(TransportErrc::bad_ms_keep_alive);
    }
  }
  return k;
}

std::string MsKeepAlive::str() const {
  std::string out = role == Role::uac ? "UAC" : "UAS";
  append_yes_no(out, "tcp", tcp);
  append_yes_no(out, "hop-hop", hop_hop);
  append_yes_no(out, "end-end", end_end);
  if (timeout) {
    out += "; timeout=" + std::to_string(*timeout);
  }
  for (const auto& p : extensions) {
    out += "; " + p.name;
    if (p.value) {
      out += "=" + *p.value;
    }
  }
  return out;
}

std::optional<result<MsKeepAlive>> find_ms_keep_alive(const MessageHeaders& headers) {
  const Header* h = find_header(headers.other, kMsKeepAliveHeader);
  if (h == nullptr) {
    return std::nullopt;
  }
  return MsKeepAlive::parse(h->value);
}

MsKeepAlive ms_keep_alive_answer(std::uint32_t timeout_seconds) {
  MsKeepAlive k;
  k.role = MsKeepAlive::Role::uas;
  k.tcp = false;
  k.hop_hop = true;
  k.end_end = false;
  k.timeout = timeout_seconds;
  return k;
}

MsKeepAlive ms_keep_alive_offer() {
  MsKeepAlive k;
  k.role = MsKeepAlive::Role::uac;
  k.hop_hop = true;
  return k;
}

void insert_header(std::string& wire, std::string_view name, std::string_view value) {
  auto end = wire.find("\r\n\r\n");
  if (end == std::string::npos) {
    return;
  }
  std::string line;
  line.reserve(name.size() + value.size() + 4);
  line.append(name).append(": ").append(value).append("\r\n");
  wire.insert(end + 2, line);
}

}  // namespace fedgate::sip
