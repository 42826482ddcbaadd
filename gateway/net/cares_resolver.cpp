#include "gateway/net/cares_resolver.hpp"

#include <ares.h>
#include <arpa/nameser.h>

#include <boost/asio/append.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstring>
#include <map>
#include <mutex>

#include "gateway/net/srv_answer.hpp"

namespace fedgate::gateway {

namespace asio = boost::asio;
struct Answer {
  error_code ec;
  std::string raw;  // the DNS response
};

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr int kMaxAddresses = 64;

ResolverErrc errc_from_ares(int status) {
  switch (status) {
    case ARES_ENODATA:
      return ResolverErrc::no_data;
    case ARES_ENOTFOUND:
      return ResolverErrc::not_found;
    case ARES_ETIMEOUT:
      return ResolverErrc::timeout;
    case ARES_ESERVFAIL:
    case ARES_EREFUSED:
    case ARES_ENOTIMP:
    case ARES_ECONNREFUSED:
      return ResolverErrc::server_failure;  // also SERVFAIL everywhere
    case ARES_EFORMERR:
    case ARES_EBADRESP:
      return ResolverErrc::bad_response;
    case ARES_EBADNAME:
      return ResolverErrc::bad_name;
    case ARES_EDESTRUCTION:
    case ARES_ECANCELLED:
      return ResolverErrc::cancelled;
    default:
      return ResolverErrc::other;
  }
}

// A socket c-ares asked us to watch. The descriptor does not own the fd: c-ares closes it
// after telling us (state callback with neither readable nor writable).
struct Watch {
  Watch(asio::strand<asio::any_io_executor>& strand, int fd) : descriptor(strand, fd) {}
  asio::posix::stream_descriptor descriptor;
  bool want_read = false, want_write = false;
  bool reading = false, writing = false;
  bool closed = false;
};

template <class Handler>
struct Pending {
  Handler handler;
};

}  // namespace

struct CaresResolver::Impl : std::enable_shared_from_this<Impl> {
  explicit Impl(asio::any_io_executor executor)
      : strand(asio::make_strand(executor)), timer(strand) {}

  asio::strand<asio::any_io_executor> strand;
  asio::steady_timer timer;
  ares_channel channel = nullptr;
  std::map<int, std::shared_ptr<Watch>> watches;

  static void on_socket_state(void* data, ares_socket_t fd, int readable, int writable);
  void arm(int fd, const std::shared_ptr<Watch>& watch);
  void wait(int fd, const std::shared_ptr<Watch>& watch, bool for_read);
  void reset_timer();
  template <class Handler>
  void start_query(std::string name, int type, Handler handler);
};

void CaresResolver::Impl::on_socket_state(void* data, ares_socket_t fd, int readable,
                                          int writable) {
  auto* self = static_cast<Impl*>(data);
  auto it = self->watches.find(fd);
  if (!readable && !writable) {  // c-ares is about to close the socket
    if (it != self->watches.end()) {
      it->second->closed = true;
      error_code ignored;
      it->second->descriptor.cancel(ignored);
      it->second->descriptor.release();
      self->watches.erase(it);
    }
    return;
  }
  if (it == self->watches.end()) {
    it = self->watches.emplace(fd, std::make_shared<Watch>(self->strand, fd)).first;
  }
  it->second->want_read = readable != 0;
  it->second->want_write = writable != 0;
  self->arm(fd, it->second);
}

void CaresResolver::Impl::arm(int fd, const std::shared_ptr<Watch>& watch) {
  if (watch->want_read && !watch->reading) {
    wait(fd, watch, true);
  }
  if (watch->want_write && !watch->writing) {
    wait(fd, watch, false);
  }
}

void CaresResolver::Impl::wait(int fd, const std::shared_ptr<Watch>& watch, bool for_read) {
  (for_read ? watch->reading : watch->writing) = true;
  auto type = for_read ? asio::posix::stream_descriptor::wait_read
                       : asio::posix::stream_descriptor::wait_write;
  watch->descriptor.async_wait(
      type, [self = weak_from_this(), fd, watch, for_read](const error_code& ec) {
        (for_read ? watch->reading : watch->writing) = false;
        auto impl = self.lock();
        if (!impl || ec || watch->closed) {
          return;
        }
        ares_process_fd(impl->channel, for_read ? fd : ARES_SOCKET_BAD,
                        for_read ? ARES_SOCKET_BAD : fd);
        if (!watch->closed) {
          impl->arm(fd, watch);
        }
        impl->reset_timer();
      });
}

void CaresResolver::Impl::reset_timer() {
  timeval tv{};
  if (ares_timeout(channel, nullptr, &tv) == nullptr) {
    timer.cancel();
    return;
  }
  timer.expires_after(std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec));
  timer.async_wait([self = weak_from_this()](const error_code& ec) {
    auto impl = self.lock();
    if (!impl || ec) {
      return;
    }
    ares_process_fd(impl->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timeouts only
    impl->reset_timer();
  });
}

template <class Handler>
void CaresResolver::Impl::start_query(std::string name, int type, Handler handler) {
  auto* pending = new Pending<Handler>{std::move(handler)};
  auto on_answer = [](void* arg, int status, int, unsigned char* abuf, int alen) {
    std::unique_ptr<Pending<Handler>> p(static_cast<Pending<Handler>*>(arg));
    error_code ec;
    std::string raw;
    if (status != ARES_SUCCESS) {
      ec = errc_from_ares(status);
    } else if (abuf != nullptr && alen > 0) {
      raw.assign(reinterpret_cast<const char*>(abuf), static_cast<std::size_t>(alen));
    }
    asio::post(asio::append(std::move(p->handler), ec, std::move(raw)));
  };
  ares_query(channel, name.c_str(), ns_c_in, type, on_answer, pending);
  reset_timer();
}

namespace {

// One raw query on the resolver's strand; completes on the caller's executor. Not a coroutine:
// GCC 12 miscompiles init-captures that move a coroutine's parameters.
auto async_query(std::shared_ptr<CaresResolver::Impl> impl, std::string name, int type) {
  return asio::async_initiate<decltype(kNoThrow), void(error_code, std::string)>(
      [](auto handler, std::shared_ptr<CaresResolver::Impl> impl, std::string name, int type) {
        asio::post(impl->strand,
                   [impl, name = std::move(name), type, handler = std::move(handler)]() mutable {
                     impl->start_query(std::move(name), type, std::move(handler));
                   });
      },
      kNoThrow, std::move(impl), std::move(name), type);
}

// No structured bindings of co_await results either (GCC 12 destroys them twice).
asio::awaitable<Answer> query(std::shared_ptr<CaresResolver::Impl> impl, std::string name,
                              int type) {
  auto done = co_await async_query(impl, name, type);
  co_return Answer{std::get<0>(done), std::move(std::get<1>(done))};
}

void append_addresses(const Answer& answer, bool v6, std::vector<AddressRecord>& out) {
  const auto& raw = answer.raw;
  if (answer.ec) {
    return;
  }
  const auto* buf = reinterpret_cast<const unsigned char*>(raw.data());
  int len = static_cast<int>(raw.size());
  int count = kMaxAddresses;
  if (v6) {
    ares_addr6ttl ttls[kMaxAddresses];
    if (ares_parse_aaaa_reply(buf, len, nullptr, ttls, &count) != ARES_SUCCESS) {
      return;
    }
    for (int i = 0; i < count; ++i) {
      asio::ip::address_v6::bytes_type bytes;
      std::memcpy(bytes.data(), &ttls[i].ip6addr, bytes.size());
      out.push_back({asio::ip::address_v6(bytes), static_cast<std::uint32_t>(ttls[i].ttl)});
    }
    return;
  }
  ares_addrttl ttls[kMaxAddresses];
  if (ares_parse_a_reply(buf, len, nullptr, ttls, &count) != ARES_SUCCESS) {
    return;
  }
  for (int i = 0; i < count; ++i) {
    asio::ip::address_v4::bytes_type bytes;
    std::memcpy(bytes.data(), &ttls[i].ipaddr, bytes.size());
    out.push_back({asio::ip::address_v4(bytes), static_cast<std::uint32_t>(ttls[i].ttl)});
  }
}

// Both lookups failed: prefer the more telling reason (a timeout over "no AAAA").
error_code combined_error(const error_code& a, const error_code& aaaa) {
  if (a && a != ResolverErrc::no_data) {
    return a;
  }
  if (aaaa && aaaa != ResolverErrc::no_data) {
    return aaaa;
  }
  return ResolverErrc::no_data;
}

}  // namespace

result<std::unique_ptr<CaresResolver>> CaresResolver::create(asio::any_io_executor executor,
                                                             const CaresOptions& options) {
  static std::once_flag library_once;
  std::call_once(library_once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
  auto impl = std::make_shared<Impl>(std::move(executor));
  ares_options opts{};
  opts.sock_state_cb = &Impl::on_socket_state;
  opts.sock_state_cb_data = impl.get();
  opts.timeout = static_cast<int>(options.timeout.count());
  opts.tries = options.tries;
  opts.flags = options.use_tcp ? ARES_FLAG_USEVC : 0;
  int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS;
  if (ares_init_options(&impl->channel, &opts, mask) != ARES_SUCCESS) {
    return ResolverErrc::other;
  }
  if (!options.servers.empty() &&
      ares_set_servers_ports_csv(impl->channel, options.servers.c_str()) != ARES_SUCCESS) {
    ares_destroy(impl->channel);
    impl->channel = nullptr;
    return ResolverErrc::bad_server;
  }
  return std::unique_ptr<CaresResolver>(new CaresResolver(std::move(impl)));
}

CaresResolver::~CaresResolver() {
  // Runs where no I/O thread is driving the strand (see the header): pending lookups complete
  // with ResolverErrc::cancelled through their own executors.
  if (impl_->channel != nullptr) {
    ares_destroy(impl_->channel);
  }
  impl_->timer.cancel();
}

asio::awaitable<result<std::vector<SrvTarget>>> CaresResolver::resolve_srv(std::string name) {
  Answer answer = co_await query(impl_, std::move(name), ns_t_srv);
  if (answer.ec) {
    co_return answer.ec;
  }
  const auto* raw = reinterpret_cast<const unsigned char*>(answer.raw.data());
  co_return parse_srv_answer(raw, answer.raw.size());
}

asio::awaitable<result<std::vector<AddressRecord>>> CaresResolver::resolve_host(std::string host) {
  error_code literal_ec;
  auto literal = asio::ip::make_address(host, literal_ec);
  if (!literal_ec) {
    co_return std::vector<AddressRecord>{{literal, 0}};
  }
  using namespace asio::experimental::awaitable_operators;
  auto both = co_await (query(impl_, host, ns_t_a) && query(impl_, host, ns_t_aaaa));
  std::vector<AddressRecord> out;
  append_addresses(std::get<0>(both), false, out);
  append_addresses(std::get<1>(both), true, out);
  if (out.empty()) {
    co_return combined_error(std::get<0>(both).ec, std::get<1>(both).ec);
  }
  co_return out;
}

}  // namespace fedgate::gateway
