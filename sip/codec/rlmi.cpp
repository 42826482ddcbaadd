// RLMI documents (RFC 4662 §5) reading and writing.
#include "sip/codec/rlmi.hpp"

#include "sip/codec/parse_error.hpp"

namespace fedgate::sip {
namespace {

std::string str(std::optional<std::string_view> v) { return std::string(v.value_or("")); }

void attr(std::string& out, std::string_view name, std::string_view value) {
  out += " ";
  out += name;
  out += "=\"";
  append_xml_escaped(out, value);
  out += "\"";
}

}  // namespace

bool RlmiResource::needs_resubscribe() const {
  for (const auto& i : instances) {
    if (i.state == "resubscribe") {
      return true;
    }
  }
  return false;
}

result<RlmiList> parse_rlmi(std::string_view xml, const XmlLimits& limits) {
  auto root = parse_xml(xml, limits);
  if (!root) {
    return root.error();
  }
  if (root->name != "list" || root->ns != kRlmiNs) {
    return make_error_code(ParseErrc::bad_body);
  }
  RlmiList list;
  list.uri = str(root->attribute("uri"));
  list.version = str(root->attribute("version"));
  list.full_state = root->attribute("fullState") == "true";
  for (const auto& r : root->children) {
    if (r.name != "resource" || r.ns != kRlmiNs) {
      continue;
    }
    RlmiResource res{str(r.attribute("uri")), {}};
    for (const auto& i : r.children) {
      if (i.name == "instance" && i.ns == kRlmiNs) {
        res.instances.push_back(RlmiInstance{str(i.attribute("id")), str(i.attribute("state")),
                                             str(i.attribute("reason")), str(i.attribute("cid"))});
      }
    }
    list.resources.push_back(std::move(res));
  }
  return list;
}

std::string write_rlmi(const RlmiList& list) {
  std::string out = "<list xmlns=\"urn:ietf:params:xml:ns:rlmi\"";
  attr(out, "uri", list.uri);
  attr(out, "version", list.version);
  attr(out, "fullState", list.full_state ? "true" : "false");
  out += ">";
  for (const auto& r : list.resources) {
    out += "<resource";
    attr(out, "uri", r.uri);
    out += ">";
    for (const auto& i : r.instances) {
      out += "<instance";
      attr(out, "id", i.id);
      attr(out, "state", i.state);
      if (!i.reason.empty()) {
        attr(out, "reason", i.reason);
      }
      if (!i.cid.empty()) {
        attr(out, "cid", i.cid);
      }
      out += "/>";
    }
    out += "</resource>";
  }
  out += "</list>";
  return out;
}

}  // namespace fedgate::sip
