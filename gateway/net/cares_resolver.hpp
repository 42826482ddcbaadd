// The c-ares implementation of Resolver. c-ares 1.18 has no event thread: its sockets are
// watched through the socket-state callback with posix::stream_descriptor waits and driven
// with ares_process_fd; its timeouts with a steady_timer set from ares_timeout. Owned by gw_net;
// the channel lives on its own strand, so lookups may be awaited from any executor.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "gateway/net/resolver.hpp"

namespace fedgate::gateway {

struct CaresOptions {
  std::string servers;  // "127.0.0.1:5353,[::1]:53"; "" = the system's resolv.conf
  std::chrono::milliseconds timeout{2000};  // per try
  int tries = 2;
  bool use_tcp = false;  // ARES_FLAG_USEVC
};

class CaresResolver final : public Resolver {
 public:
  static result<std::unique_ptr<CaresResolver>> create(boost::asio::any_io_executor executor,
                                                       const CaresOptions& options);
  // Destroy it where no thread is running its executor (after io_context::run returns) or from
  // the executor's only thread; pending lookups then complete with ResolverErrc::cancelled.
  ~CaresResolver() override;

  boost::asio::awaitable<result<std::vector<SrvTarget>>> resolve_srv(std::string name) override;
  boost::asio::awaitable<result<std::vector<AddressRecord>>> resolve_host(
      std::string host) override;

  struct Impl;

 private:
  explicit CaresResolver(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

}  // namespace fedgate::gateway
