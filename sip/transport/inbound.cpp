// serve_inbound (declared in connection.hpp): securing, admitting and running an accepted
// connection. RFC 5630 §3 (mutual TLS), RFC 5923 §4 (aliases for reuse), the incoming ACL.
#include <boost/asio/this_coro.hpp>
#include <optional>

#include "sip/transport/connection.hpp"
#include "sip/transport/peer_auth.hpp"
#include "sip/transport/transport_error.hpp"

// GCC 12 (-O1, ASan) reports Asio's awaitable frame operator new/delete pair as mismatched
// once a child coroutine's frame allocation is inlined: a false positive.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::sip {
namespace {

namespace asio = boost::asio;

std::string peer_label(const gateway::PeerIdentity& identity, const PeerKey& remote) {
  return identity.certificate.dns_names.empty() ? remote.host
                                                : identity.certificate.dns_names.front();
}

void refuse(ConnectionDeps& deps, const std::string& peer, const boost::system::error_code& ec,
            const std::string& detail) {
  auto reason = reason_token(ec);
  deps.metrics.refused(reason);
  deps.log.info("sip.transport.refused", {{"peer", peer}, {"reason", reason}, {"detail", detail}});
}

// The incoming ACL: by address and certificate first, then by reverse-resolved names.
asio::awaitable<bool> acl_allows(const PeerKey& remote, const gateway::PeerIdentity& identity,
                                 ConnectionDeps& deps) {
  const auto& config = deps.config;
  if (!config.incoming_acl) {
    co_return true;
  }
  InboundPeer peer;
  peer.address = remote.host;
  peer.certificate =
      identity.certificate.sha256_fingerprint.empty() ? nullptr : &identity.certificate;
  if (config.incoming_acl(peer)) {
    co_return true;
  }
  if (config.reverse_lookup) {
    auto lookup = config.reverse_lookup(remote.host);
    peer.reverse_names = co_await std::move(lookup);
    if (!peer.reverse_names.empty() && config.incoming_acl(peer)) {
      co_return true;
    }
  }
  refuse(deps, remote.host, make_error_code(TransportErrc::not_in_acl), describe(peer));
  co_return false;
}

ConnectionSetup setup_for(const PeerKey& remote, const gateway::PeerIdentity& identity,
                          const asio::any_io_executor& ex, const TransportConfig& config) {
  ConnectionSetup setup;
  setup.id = next_connection_id();
  setup.direction = Direction::inbound;
  setup.remote = remote;
  setup.peer = peer_label(identity, remote);
  open_channel(setup, ex, config);
  setup.aliases.push_back(PeerKey{remote.host, 0, remote.transport});
  for (const auto& name : identity.certificate.dns_names) {
    setup.aliases.push_back(PeerKey{name, 0, remote.transport});
  }
  return setup;
}

// Handshake, peer check, allow-list and ACL; nullopt when refused (logged and counted). Its
// own frame, so that the peer's identity is freed before the connection runs.
asio::awaitable<std::optional<ConnectionSetup>> admit(SipStream& stream, ConnectionDeps& deps) {
  auto state = co_await asio::this_coro::cancellation_state;
  if (state.cancelled() != asio::cancellation_type::none) {
    co_return std::nullopt;  // the node is stopping
  }
  boost::system::error_code ec;
  auto endpoint = stream.socket().remote_endpoint(ec);
  PeerKey remote(endpoint.address().to_string(), endpoint.port(), stream.transport());
  auto securing = secure_stream(stream, gateway::PeerRole::client, "", deps.config, deps.log);
  auto identity = co_await std::move(securing);
  if (!identity) {
    refuse(deps, remote.host, identity.error(), identity.error().message());
    co_return std::nullopt;
  }
  auto checking = acl_allows(remote, *identity, deps);
  if (!co_await std::move(checking)) {
    co_return std::nullopt;
  }
  auto ex = co_await asio::this_coro::executor;
  co_return setup_for(remote, *identity, ex, deps.config);
}

}  // namespace

asio::awaitable<void> serve_inbound(SipStream stream, ConnectionDeps& deps) {
  // Cancellation before the handshake starts must not throw (TaskGroup reports that as a bug).
  co_await asio::this_coro::throw_if_cancelled(false);
  auto admitting = admit(stream, deps);
  auto setup = co_await std::move(admitting);
  if (!setup) {
    stream.close();
    co_return;
  }
  auto running = run_connection(std::move(stream), std::move(*setup), deps);
  co_await std::move(running);
}

}  // namespace fedgate::sip
