// Test support for the s2s stream state machines: a deterministic StreamConfig, certificate
// facts, and the transcripts under tests/data/xmpp.
#pragma once

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "xmpp/stream/stream_config.hpp"

namespace fedgate::xmpp::test {

inline constexpr std::string_view kSecret = "s3cr3tf0rd14lb4ck";  // XEP-0185 §3
inline const TimePoint kT0{};

inline std::string transcript(const std::string& name) {
  std::ifstream in(std::string(FEDGATE_SOURCE_DIR) + "/tests/data/xmpp/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Serves `domains`; stream ids "id1", "id2", ...; dialback secret kSecret.
inline std::shared_ptr<StreamConfig> make_config(std::vector<std::string> domains) {
  auto c = std::make_shared<StreamConfig>();
  c->security.dialback_secret = std::string(kSecret);
  c->serves = [domains](std::string_view d) {
    return std::find(domains.begin(), domains.end(), d) != domains.end();
  };
  c->new_stream_id = [n = std::make_shared<int>(0)] { return "id" + std::to_string(++*n); };
  return c;
}

inline TlsFacts valid_cert(std::string domain) {
  TlsFacts f;
  f.chain_valid = true;
  f.identities = {std::move(domain)};
  f.fingerprint_sha256 = "ab12";
  return f;
}

inline constexpr std::string_view kStreamNs =
    " xmlns='jabber:server' "
    "xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'";

// The header fedgate sends: "<?xml..?><stream:stream ... from to [id] version='1.0'>".
inline std::string our_header(std::string_view from, std::string_view to, std::string_view id,
                              bool db = true) {
  std::string out =
      "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
      "xmlns:stream='http://etherx.jabber.org/streams'";
  if (db) {
    out += " xmlns:db='jabber:server:dialback'";
  }
  out += " from='" + std::string(from) + "' to='" + std::string(to) + "'";
  if (!id.empty()) {
    out += " id='" + std::string(id) + "'";
  }
  return out + " version='1.0'>";
}

// A peer's header in the style Prosody sends.
inline std::string peer_header(std::string_view from, std::string_view to,
                               std::string_view id = {}) {
  std::string out = "<?xml version='1.0'?><stream:stream" + std::string(kStreamNs) + " from='" +
                    std::string(from) + "' to='" + std::string(to) + "'";
  if (!id.empty()) {
    out += " id='" + std::string(id) + "'";
  }
  return out + " version='1.0'>";
}

inline constexpr std::string_view kDialbackFeature =
    "<dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback>";
inline constexpr std::string_view kSmFeatureXml = "<sm xmlns='urn:xmpp:sm:3'/>";

}  // namespace fedgate::xmpp::test
