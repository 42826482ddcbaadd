// SIP/SIPS/tel URI parsing and canonical form (RFC 3261 §19.1, §25.1; RFC 3966; RFC 5118).
#include "sip/codec/uri.hpp"

#include <algorithm>

#include "sip/codec/grammar.hpp"
#include "sip/codec/parse_error.hpp"
#include "sip/codec/parse_into.hpp"

namespace fedgate::sip {
namespace {

using namespace grammar;

bool valid_scheme(std::string_view s) {
  if (s.empty() || !has(s.front(), kAlnum) || is_digit(s.front())) {
    return false;
  }
  for (char ch : s) {
    if (!has(ch, kAlnum) && ch != '+' && ch != '-' && ch != '.') {
      return false;
    }
  }
  return true;
}

// Parameters whose values compare case-insensitively and are stored lower-case.
bool lowercase_value(std::string_view name) {
  return name == "transport" || name == "user" || name == "maddr";
}

bool parse_uri_params(std::string_view in, Params& out) {
  if (out.empty()) {
    out.reserve(1 + static_cast<std::size_t>(std::count(in.begin(), in.end(), ';')));
  }
  std::size_t pos = 0;
  while (pos <= in.size()) {
    std::size_t end = in.find(';', pos);
    std::string_view item = in.substr(pos, end == std::string_view::npos ? end : end - pos);
    std::size_t eq = item.find('=');
    Param& p = out.emplace_back();  // in place; a failure fails the whole URI
    if (!canonical_escapes(item.substr(0, eq), kParamExtra, p.name) || p.name.empty()) {
      return false;
    }
    lower_in_place(p.name);
    if (eq != std::string_view::npos) {
      std::string& value = p.value.emplace();
      if (!canonical_escapes(item.substr(eq + 1), kParamExtra, value) || value.empty()) {
        return false;
      }
      if (lowercase_value(p.name)) {
        lower_in_place(value);
      }
    }
    if (end == std::string_view::npos) {
      break;
    }
    pos = end + 1;
  }
  return true;
}

bool parse_uri_headers(std::string_view in, Params& out) {
  std::size_t pos = 0;
  while (true) {
    std::size_t end = in.find('&', pos);
    std::string_view item = in.substr(pos, end == std::string_view::npos ? end : end - pos);
    std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return false;
    }
    Param h;
    std::string value;
    if (!canonical_escapes(item.substr(0, eq), kHeaderExtra, h.name) || h.name.empty() ||
        !canonical_escapes(item.substr(eq + 1), kHeaderExtra, value)) {
      return false;
    }
    h.value = std::move(value);
    out.push_back(std::move(h));
    if (end == std::string_view::npos) {
      return true;
    }
    pos = end + 1;
  }
}

bool parse_userinfo(std::string_view info, Uri& uri) {
  std::size_t colon = info.find(':');
  if (!canonical_escapes(info.substr(0, colon), kUserExtra, uri.user) || uri.user.empty()) {
    return false;
  }
  if (colon != std::string_view::npos) {
    std::string password;
    if (!canonical_escapes(info.substr(colon + 1), kPasswordExtra, password)) {
      return false;
    }
    uri.password = std::move(password);
  }
  return true;
}

bool parse_sip(std::string_view rest, Uri& uri) {
  std::size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    if (rest.find('@', at + 1) != std::string_view::npos ||
        !parse_userinfo(rest.substr(0, at), uri)) {
      return false;
    }
    rest.remove_prefix(at + 1);
  }
  std::size_t question = rest.find('?');
  std::string_view headers;
  if (question != std::string_view::npos) {
    headers = rest.substr(question + 1);
    rest = rest.substr(0, question);
    if (!parse_uri_headers(headers, uri.headers)) {
      return false;
    }
  }
  std::size_t semi = rest.find(';');
  if (!parse_host_port(rest.substr(0, semi), uri.host, uri.port)) {
    return false;
  }
  return semi == std::string_view::npos || parse_uri_params(rest.substr(semi + 1), uri.params);
}

bool parse_tel(std::string_view rest, Uri& uri) {
  std::size_t semi = rest.find(';');
  std::string_view number = rest.substr(0, semi);
  for (char ch : number) {
    if (!is_hex(ch) && std::string_view("+-.()*#pw").find(to_lower(ch)) == std::string_view::npos) {
      return false;
    }
  }
  uri.user.assign(number);
  return !number.empty() &&
         (semi == std::string_view::npos || parse_uri_params(rest.substr(semi + 1), uri.params));
}

bool parse_opaque(std::string_view rest, Uri& uri) {
  for (char ch : rest) {
    auto u = static_cast<unsigned char>(ch);
    if (u <= 0x20 || u == 0x7f || ch == '<' || ch == '>' || ch == '"') {
      return false;
    }
  }
  uri.opaque.assign(rest);
  return !rest.empty();
}

}  // namespace

namespace detail {

bool parse_uri_into(std::string_view text, Uri& uri) {
  std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || !valid_scheme(text.substr(0, colon))) {
    return false;
  }
  uri.scheme.assign(text.substr(0, colon));
  lower_in_place(uri.scheme);
  std::string_view rest = text.substr(colon + 1);
  if (uri.is_sip()) {
    return parse_sip(rest, uri);
  }
  return uri.scheme == "tel" ? parse_tel(rest, uri) : parse_opaque(rest, uri);
}

}  // namespace detail

result<Uri> Uri::parse(std::string_view text) {
  result<Uri> out(boost::system::in_place_value);
  if (!detail::parse_uri_into(text, *out)) {
    out = make_error_code(ParseErrc::bad_uri);
  }
  return out;
}

void Uri::append_to(std::string& out) const {
  out += scheme;
  out.push_back(':');
  if (!is_sip() && scheme != "tel") {
    out += opaque;
    return;
  }
  out += user;
  if (password) {
    out.push_back(':');
    out += *password;
  }
  if (!host.empty()) {
    if (!user.empty()) {
      out.push_back('@');
    }
    out += host;
  }
  if (port) {
    out.push_back(':');
    append_decimal(out, *port);
  }
  append_params(out, params);
  char sep = '?';
  for (const auto& h : headers) {
    out.push_back(sep);
    out += h.name;
    out.push_back('=');
    out += h.value.value_or("");
    sep = '&';
  }
}

std::string Uri::str() const {
  std::string out;
  append_to(out);
  return out;
}

std::string Uri::address() const {
  if (!is_sip()) {
    return scheme == "tel" ? user : opaque;
  }
  return user.empty() ? host : user + "@" + host;
}

}  // namespace fedgate::sip
