#include "sip/transport/incoming_acl.hpp"

#include <boost/asio/ip/address.hpp>

#include "sip/codec/grammar.hpp"

namespace fedgate::sip {
namespace {

namespace ip = boost::asio::ip;

std::optional<ip::address> address_of(std::string_view text) {
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  boost::system::error_code ec;
  auto a = ip::make_address(std::string(text), ec);
  if (ec) {
    return std::nullopt;
  }
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return ip::address(ip::make_address_v4(ip::v4_mapped, a.to_v6()));
  }
  return a;
}

std::string_view without_dot(std::string_view name) {
  return !name.empty() && name.back() == '.' ? name.substr(0, name.size() - 1) : name;
}

}  // namespace

bool acl_entry_matches(std::string_view entry, const InboundPeer& peer) {
  if (entry.empty()) {
    return false;
  }
  if (auto listed = address_of(entry)) {
    auto remote = address_of(peer.address);
    return remote && *remote == *listed;
  }
  if (peer.certificate != nullptr && gateway::covers_dns_name(*peer.certificate, entry)) {
    return true;
  }
  for (const auto& name : peer.reverse_names) {
    if (grammar::iequals(without_dot(name), without_dot(entry))) {
      return true;
    }
  }
  return false;
}

bool acl_admits(std::span<const std::string> entries, const InboundPeer& peer) {
  for (const auto& entry : entries) {
    if (acl_entry_matches(entry, peer)) {
      return true;
    }
  }
  return false;
}

std::string describe(const InboundPeer& peer) {
  std::string out = "address=" + peer.address;
  std::string names;
  auto add = [&names](const std::string& n) {
    names += names.empty() ? "" : ",";
    names += n;
  };
  if (peer.certificate != nullptr) {
    for (const auto& n : peer.certificate->dns_names) {
      add(n);
    }
  }
  for (const auto& n : peer.reverse_names) {
    add(n);
  }
  if (!names.empty()) {
    out += " names=" + names;
  }
  return out;
}

}  // namespace fedgate::sip
