// `fedgate sip-parse`: JSON summaries of SIP messages for administrators and tests.
// Bodies are never printed (STYLE.md B7): only their type and length.
#include "gateway/app/cmd_sip_parse.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>

#include "sip/codec/parser.hpp"

namespace fedgate::gateway {
namespace {

using nlohmann::json;

json name_addrs(const std::vector<sip::NameAddr>& values) {
  json out = json::array();
  for (const auto& v : values) {
    out.push_back(v.str());
  }
  return out;
}

json typed_headers(const sip::MessageHeaders& h) {
  json out;
  json via = json::array();
  for (const auto& v : h.via) {
    via.push_back(v.str());
  }
  out["via"] = via;
  out["from"] = h.from.str();
  out["to"] = h.to.str();
  out["contact"] = h.contact_star ? json("*") : name_addrs(h.contact);
  out["route"] = name_addrs(h.route);
  out["record_route"] = name_addrs(h.record_route);
  out["max_forwards"] = h.max_forwards ? json(*h.max_forwards) : json(nullptr);
  out["expires"] = h.expires ? json(*h.expires) : json(nullptr);
  out["event"] = h.event ? json(h.event->package) : json(nullptr);
  out["subscription_state"] = h.subscription_state ? json(h.subscription_state->state) : json(nullptr);
  out["require"] = h.require;
  out["supported"] = h.supported;
  json other = json::array();
  for (const auto& o : h.other) {
    other.push_back({{"name", o.name}, {"value", o.value}});
  }
  out["other"] = other;
  return out;
}

json summary(const sip::Message& m) {
  const sip::MessageHeaders& h = sip::headers_of(m);
  json out;
  if (const auto* r = std::get_if<sip::Request>(&m)) {
    out["kind"] = "request";
    out["method"] = std::string(r->method_name());
    out["request_uri"] = r->request_uri.str();
  } else {
    const auto& s = std::get<sip::Response>(m);
    out["kind"] = "response";
    out["status"] = s.status;
    out["reason"] = s.reason;
  }
  out["call_id"] = h.call_id;
  out["cseq"] = {{"sequence", h.cseq.sequence}, {"method", std::string(h.cseq.name())}};
  out["headers"] = typed_headers(h);
  out["body"] = {{"type", h.content_type ? json(h.content_type->str()) : json(nullptr)},
                 {"length", h.body.size()}};
  return out;
}

}  // namespace

int cmd_sip_parse(const std::vector<std::string>& files, std::ostream& out, std::ostream& err) {
  int status = 0;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      err << file << ": cannot read file\n";
      status = status == 0 ? 1 : status;
      continue;
    }
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto m = sip::parse_message(bytes);
    if (!m) {
      err << file << ": parse error: " << m.error().message() << "\n";
      status = 2;
      continue;
    }
    json line = summary(*m);
    line["file"] = file;
    out << line.dump() << "\n";
  }
  return status;
}

}  // namespace fedgate::gateway
