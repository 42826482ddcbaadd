// Loading the transcripts of data/ for the dialog tests.
#include "transcript.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sip/codec/parser.hpp"

namespace fedgate::sip::test {

std::vector<std::string> branches(std::size_t n) {
  BranchGenerator gen{kSeed};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(gen.next());
  }
  return out;
}

std::string transcript(std::string_view name, const std::vector<std::string>& branch_values) {
  std::ifstream in{std::string(SIP_DIALOG_DATA_DIR) + "/" + std::string(name), std::ios::binary};
  if (!in) {
    throw std::runtime_error("missing transcript " + std::string(name));
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string out;
  for (char ch : text.str()) {
    out += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
  }
  for (std::size_t i = 0; i < branch_values.size(); ++i) {
    const std::string key = "${b" + std::to_string(i + 1) + "}";
    for (auto pos = out.find(key); pos != std::string::npos; pos = out.find(key)) {
      out.replace(pos, key.size(), branch_values[i]);
    }
  }
  return out;
}

Request request(std::string_view name, const std::vector<std::string>& branch_values) {
  return parse_request(transcript(name, branch_values)).value();
}

Response response(std::string_view name, const std::vector<std::string>& branch_values) {
  return parse_response(transcript(name, branch_values)).value();
}

std::string body_of(std::string_view name) {
  std::string t = transcript(name);
  return t.substr(t.find("\r\n\r\n") + 4);
}

LocalEndpoint gateway() {
  return {Via::parse("SIP/2.0/TLS fedgate.corp.example:5061").value(),
          NameAddr::parse("<sip:fedgate.corp.example:5061;transport=tls>").value()};
}

LocalEndpoint partner() {
  return {Via::parse("SIP/2.0/TLS 192.0.2.10:5061").value(),
          NameAddr::parse("<sip:bob@192.0.2.10:5061;transport=tls>").value()};
}

SubscribeParams alice_watches_bob() {
  SubscribeParams p;
  p.target = Uri::parse("sip:bob@partner.example").value();
  p.from = NameAddr::parse("<sip:alice@corp.example>;tag=3c1d;epid=01010101").value();
  p.to = NameAddr::parse("<sip:bob@partner.example>").value();
  p.call_id = "s1@fedgate.corp.example";
  p.event = EventHeader{"presence", {}};
  p.accept = {"application/msrtc-event-categories+xml", "application/pidf+xml",
              "application/rlmi+xml", "multipart/related"};
  p.supported = {"ms-benotify", "ms-piggyback-first-notify"};
  p.local = gateway();
  return p;
}

Subscriber subscribed_to_bob(BranchGenerator& gen) {
  Subscriber s{alice_watches_bob()};
  s.start(gen);
  s.on_response(response("sub_200_piggyback.sip", branches(1)), TimePoint{});
  return s;
}

}  // namespace fedgate::sip::test
