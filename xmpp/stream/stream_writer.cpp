#include "xmpp/stream/stream_writer.hpp"

#include "xmpp/codec/base64.hpp"
#include "xmpp/codec/element.hpp"

namespace fedgate::xmpp {
namespace {

void attr(std::string& out, std::string_view name, std::string_view value) {
  out.append(" ").append(name).append("='");
  append_escaped_attribute(out, value);
  out.push_back('\'');
}

std::string db_open(std::string_view element, std::string_view from, std::string_view to,
                    std::string_view id) {
  std::string out = "<db:";
  out.append(element);
  attr(out, "from", from);
  attr(out, "to", to);
  if (!id.empty()) {
    attr(out, "id", id);
  }
  return out;
}

}  // namespace

std::string features_bytes(const FeatureSet& f) {
  std::string out = "<stream:features>";
  if (f.starttls) {
    out.append(f.starttls_required
                   ? "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
                   : "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  }
  if (f.sasl_external) {
    out.append(
        "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
        "<mechanism>EXTERNAL</mechanism></mechanisms>");
  }
  if (f.dialback) {
    out.append("<dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback>");
  }
  if (f.sm) {
    out.append(kSmFeature);
  }
  out.append("</stream:features>");
  return out;
}

std::string stream_error_bytes(StreamErrc condition, std::string_view app_element) {
  std::string out = "<stream:error><";
  out.append(condition_name(condition));
  out.append(" xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>");
  out.append(app_element);
  out.append("</stream:error>");
  out.append(kStreamClose);
  return out;
}

std::string see_other_host_bytes(std::string_view host) {
  std::string out = "<stream:error><see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>";
  append_escaped_text(out, host);
  out.append("</see-other-host></stream:error>");
  out.append(kStreamClose);
  return out;
}

std::string sasl_auth_external(std::string_view authzid) {
  std::string out = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>";
  out.append(authzid.empty() ? std::string("=") : base64_encode(authzid));
  out.append("</auth>");
  return out;
}

std::string sasl_failure(std::string_view condition) {
  std::string out = "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><";
  out.append(condition).append("/></failure>");
  return out;
}

std::string db_result_request(std::string_view from, std::string_view to, std::string_view key) {
  std::string out = db_open("result", from, to, {});
  out.push_back('>');
  append_escaped_text(out, key);
  out.append("</db:result>");
  return out;
}

std::string db_result_answer(std::string_view from, std::string_view to, bool valid) {
  std::string out = db_open("result", from, to, {});
  attr(out, "type", valid ? "valid" : "invalid");
  out.append("/>");
  return out;
}

std::string db_verify_request(std::string_view from, std::string_view to, std::string_view id,
                              std::string_view key) {
  std::string out = db_open("verify", from, to, id);
  out.push_back('>');
  append_escaped_text(out, key);
  out.append("</db:verify>");
  return out;
}

std::string db_verify_answer(std::string_view from, std::string_view to, std::string_view id,
                             bool valid) {
  std::string out = db_open("verify", from, to, id);
  attr(out, "type", valid ? "valid" : "invalid");
  out.append("/>");
  return out;
}

std::string db_error(std::string_view element, std::string_view from, std::string_view to,
                     std::string_view id, StanzaErrc condition) {
  std::string out = db_open(element, from, to, id);
  out.append(" type='error'><error type='cancel'><");
  out.append(condition_name(condition));
  out.append(" xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></db:");
  out.append(element).push_back('>');
  return out;
}

std::string sm_failed(StanzaErrc condition) {
  std::string out = "<failed xmlns='urn:xmpp:sm:3'><";
  out.append(condition_name(condition));
  out.append(" xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>");
  return out;
}

std::string sm_answer(std::uint32_t h) {
  return "<a xmlns='urn:xmpp:sm:3' h='" + std::to_string(h) + "'/>";
}

std::string sm_handled_too_high(std::uint32_t h, std::uint32_t send_count) {
  return "<handled-count-too-high xmlns='urn:xmpp:sm:3' h='" + std::to_string(h) +
         "' send-count='" + std::to_string(send_count) + "'/>";
}

std::string ping(std::string_view from, std::string_view to, std::string_view id) {
  std::string out = "<iq";
  attr(out, "from", from);
  attr(out, "to", to);
  attr(out, "id", id);
  out.append(" type='get'><ping xmlns='urn:xmpp:ping'/></iq>");
  return out;
}

}  // namespace fedgate::xmpp
