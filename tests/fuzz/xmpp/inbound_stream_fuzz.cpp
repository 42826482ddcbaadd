// libFuzzer target: the receiving s2s state machine fed arbitrary bytes (after a valid
// opening), in pieces. It must never crash, and once closed must stay closed and silent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "xmpp/stream/inbound_stream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fedgate::xmpp;
  static const auto config = [] {
    auto c = std::make_shared<StreamConfig>();
    c->security.dialback_secret = "secret";
    c->tls_available = false;
    c->serves = [](std::string_view d) { return d == "montague.example"; };
    c->new_stream_id = [] { return std::string("id"); };
    return c;
  }();
  InboundStream stream(config, fedgate::TimePoint{});
  stream.on_bytes(
      "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' "
      "xmlns:db='jabber:server:dialback' from='capulet.example' to='montague.example' "
      "version='1.0'>",
      fedgate::TimePoint{});
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  bool closed = false;
  for (std::size_t i = 0; i < input.size(); i += 97) {
    auto a = stream.on_bytes(input.substr(i, 97), fedgate::TimePoint{});
    if (closed && (!a.write.empty() || !a.stanzas.empty())) {
      std::abort();  // nothing may happen after close
    }
    for (const auto& v : a.verify) {
      stream.on_dialback_verdict(v, DialbackOutcome::valid, fedgate::TimePoint{});
    }
    closed = closed || a.close.has_value();
  }
  return 0;
}
