// The SIP message serializer (RFC 3261 §7). Typed headers first, in a fixed order, then the
// verbatim ones in order; Content-Length is always the body size (§20.14).
#include "sip/codec/serializer.hpp"

#include "sip/codec/grammar.hpp"

namespace fedgate::sip {
namespace {

using grammar::append_decimal;

// Enough for the whole message in the common case, so serialize() allocates once: 512 bytes
// for the start line and typed headers, plus the verbatim headers and the body exactly.
std::size_t size_estimate(const MessageHeaders& h) {
  std::size_t n = 512 + h.body.size();
  for (const auto& o : h.other) {
    n += o.name.size() + o.value.size() + 4;
  }
  return n;
}

void append_list(std::string& out, std::string_view name, const std::vector<NameAddr>& values) {
  for (const auto& v : values) {
    out += name;
    out += ": ";
    v.append_to(out);
    out += "\r\n";
  }
}

void append_tags(std::string& out, std::string_view name, const std::vector<std::string>& tags) {
  if (tags.empty()) {
    return;
  }
  out += name;
  out += ": ";
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += tags[i];
  }
  out += "\r\n";
}

void append_token_params(std::string& out, std::string_view name, const std::string& token,
                         const Params& params) {
  out += name;
  out += ": ";
  out += token;
  append_params(out, params);
  out += "\r\n";
}

void append_number(std::string& out, std::string_view name, std::uint64_t n) {
  out += name;
  out += ": ";
  append_decimal(out, n);
  out += "\r\n";
}

void append_addresses(std::string& out, const MessageHeaders& h) {
  for (const auto& v : h.via) {
    out += "Via: ";
    v.append_to(out);
    out += "\r\n";
  }
  out += "From: ";
  h.from.append_to(out);
  out += "\r\nTo: ";
  h.to.append_to(out);
  out += "\r\nCall-ID: ";
  out += h.call_id;
  out += "\r\nCSeq: ";
  append_decimal(out, h.cseq.sequence);
  out.push_back(' ');
  out += h.cseq.name();
  out += "\r\n";
  if (h.contact_star) {
    out += "Contact: *\r\n";
  }
  append_list(out, "Contact", h.contact);
  append_list(out, "Route", h.route);
  append_list(out, "Record-Route", h.record_route);
}

void append_headers(std::string& out, const MessageHeaders& h) {
  append_addresses(out, h);
  if (h.max_forwards) {
    append_number(out, "Max-Forwards", *h.max_forwards);
  }
  if (h.expires) {
    append_number(out, "Expires", *h.expires);
  }
  if (h.event) {
    append_token_params(out, "Event", h.event->package, h.event->params);
  }
  if (h.subscription_state) {
    append_token_params(out, "Subscription-State", h.subscription_state->state,
                        h.subscription_state->params);
  }
  append_tags(out, "Require", h.require);
  append_tags(out, "Supported", h.supported);
  for (const auto& o : h.other) {
    out += o.name;
    out += ": ";
    out += o.value;
    out += "\r\n";
  }
  if (h.content_type) {
    out += "Content-Type: ";
    h.content_type->append_to(out);
    out += "\r\n";
  }
  append_number(out, "Content-Length", h.body.size());
  out += "\r\n";
  out += h.body;
}

}  // namespace

void serialize_to(std::string& out, const Request& r) {
  out += r.method_name();
  out.push_back(' ');
  r.request_uri.append_to(out);
  out += " SIP/2.0\r\n";
  append_headers(out, r);
}

void serialize_to(std::string& out, const Response& r) {
  out += "SIP/2.0 ";
  append_decimal(out, static_cast<std::uint64_t>(r.status));
  out.push_back(' ');
  out += r.reason;
  out += "\r\n";
  append_headers(out, r);
}

std::string serialize(const Request& r) {
  std::string out;
  out.reserve(size_estimate(r));
  serialize_to(out, r);
  return out;
}

std::string serialize(const Response& r) {
  std::string out;
  out.reserve(size_estimate(r));
  serialize_to(out, r);
  return out;
}

std::string serialize(const Message& m) {
  return std::visit([](const auto& v) { return serialize(v); }, m);
}

}  // namespace fedgate::sip
