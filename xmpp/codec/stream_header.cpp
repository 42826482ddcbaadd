#include "xmpp/codec/stream_header.hpp"

#include <string_view>

#include "xmpp/codec/element.hpp"
#include "xmpp/codec/namespaces.hpp"

namespace fedgate::xmpp {
namespace {

void append_attr(std::string& out, std::string_view name, std::string_view value) {
  if (value.empty()) {
    return;
  }
  out.append(" ").append(name).append("='");
  append_escaped_attribute(out, value);
  out.push_back('\'');
}

}  // namespace

std::string serialize_header(const StreamHeader& h) {
  std::string out = "<?xml version='1.0'?><stream:stream";
  append_attr(out, "xmlns", h.content_ns);
  append_attr(out, "xmlns:stream", kNsStreams);
  if (h.dialback_ns) {
    append_attr(out, "xmlns:db", kNsDialback);
  }
  append_attr(out, "from", h.from);
  append_attr(out, "to", h.to);
  append_attr(out, "id", h.id);
  append_attr(out, "version", h.version);
  append_attr(out, "xml:lang", h.lang);
  out.push_back('>');
  return out;
}

}  // namespace fedgate::xmpp
