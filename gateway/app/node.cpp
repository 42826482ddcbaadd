#include "gateway/app/node.hpp"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fstream>
#include <iostream>
#include <thread>

#include "gateway/admin/admin_server.hpp"
#include "gateway/app/membership.hpp"
#include "gateway/app/policy_json.hpp"
#include "gateway/app/sip_edge.hpp"
#include "gateway/app/xmpp_edge.hpp"
#include "gateway/store/db_pool.hpp"
#include "gateway/store/outbox_retention.hpp"
#include "gateway/store/policy_loader.hpp"
#include "gateway/store/policy_watcher.hpp"

namespace fedgate::gateway {

namespace asio = boost::asio;

namespace {

std::string random_token() {
  unsigned char bytes[24];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    throw std::runtime_error("no randomness for the admin token");
  }
  std::string out;
  for (unsigned char b : bytes) {
    out += fmt::format("{:02x}", b);
  }
  return out;
}

// The configured token, or the one in the token file, created (mode 0600) when missing.
std::string load_admin_token(const NodeConfig& config, const Logger& log) {
  if (!config.admin_token.empty()) {
    return config.admin_token;
  }
  std::ifstream in(config.admin_token_file);
  std::string token;
  if (in && std::getline(in, token) && !token.empty()) {
    return token;
  }
  token = random_token();
  auto old = ::umask(077);
  std::ofstream out(config.admin_token_file, std::ios::trunc);
  out << token << "\n";
  ::umask(old);
  if (!out) {
    throw std::runtime_error("cannot write the admin token file " +
                             config.admin_token_file.string());
  }
  log.info("admin.token_created", {{"file", config.admin_token_file.string()}});
  return token;
}

unsigned thread_count(const NodeConfig& config) {
  if (config.io_threads > 0) {
    return config.io_threads;
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

// The outbox retention loop, owning its OutboxRetention for as long as it runs.
asio::awaitable<void> keep_outbox(DbPool& pool, MetricsRegistry& metrics, Logger log) {
  OutboxRetention retention{pool, metrics, std::move(log)};
  auto running = retention.run();
  co_await std::move(running);
}

}  // namespace

Node::Node(NodeConfig config, Database db, Logger log)
    : config_(std::move(config)),
      db_(std::move(db)),
      log_(std::move(log)),
      ioc_(static_cast<int>(thread_count(config_))),
      tasks_(ioc_.get_executor(), log_) {}

Node::~Node() = default;

void Node::start() {
  pool_ = std::make_unique<DbPool>(db_.conninfo, 2, log_, metrics_);
  watcher_ = std::make_unique<PolicyWatcher>(
      ioc_.get_executor(), db_.conninfo,
      [this](std::shared_ptr<const presence::PolicyRows> rows) {
        log_.info("policy.loaded", {{"version", rows->version}});
        if (xmpp_) {
          xmpp_->on_policy(rows);
        }
        if (sip_) {
          sip_->on_policy(rows);
        }
        policy_.store(std::move(rows));
      },
      log_, metrics_);
  tasks_.spawn("policy_watcher", watcher_->run());
  start_admin();
  start_xmpp();
  start_sip();
  NodeIdentity self{config_.node_id, config_.node_fqdn, {}, {"admin"}};
  self.addresses.push_back(config_.admin_listen);
  membership_ = std::make_unique<Membership>(self, *pool_, metrics_, log_);
  tasks_.spawn("membership", membership_->run());
  tasks_.spawn("outbox_retention", keep_outbox(*pool_, metrics_, log_));
}

void Node::start_admin() {
  admin_token_ = load_admin_token(config_, log_);
  AdminRoutes routes;
  routes.ready = [this] {
    std::string why;
    bool ok = ready(why);
    return AdminReply{ok ? 200u : 503u, "application/json",
                      fmt::format("{{\"ready\":{},\"reason\":\"{}\"}}\n", ok, why)};
  };
  routes.metrics = [this] { return metrics_.render(); };
  routes.api["/api/v1/policy"] = [this](const AdminRequest&) {
    auto rows = policy();
    return rows ? AdminReply{200, "application/json", policy_to_json(*rows)}
                : AdminReply{503, "application/json", "{\"error\":\"policy_not_loaded\"}\n"};
  };
  routes.api["/api/v1/nodes"] = [this](const AdminRequest&) {
    return AdminReply{200, "application/json", membership_->nodes_json() + "\n"};
  };
  routes.api["/api/v1/trace"] = [this](const AdminRequest& req) { return trace_route(req); };
  admin_ = std::make_unique<AdminServer>(ioc_.get_executor(), admin_token_, std::move(routes),
                                         metrics_, log_);
  auto where = parse_endpoint(config_.admin_listen);
  if (!where) {
    throw std::runtime_error("admin-listen '" + config_.admin_listen + "' is not address:port");
  }
  auto bound = admin_->listen(*where);
  if (!bound) {
    throw std::runtime_error(
        fmt::format("admin-listen {}: {}", config_.admin_listen, bound.error().message()));
  }
  admin_endpoint_ = *bound;
  tasks_.spawn("admin", admin_->run());
}

// The XMPP edge starts from the policy as it is now (read once, blocking: start-up code), so
// that its listeners are up, or the node has failed, before run().
void Node::start_xmpp() {
  if (config_.xmpp_listen.empty() && config_.xmpps_listen.empty()) {
    log_.info("xmpp.off", {{"reason", "no xmpp-listen or xmpps-listen"}});
    return;
  }
  auto load = [](pqxx::connection& c) { return load_policy(c); };
  auto rows = pool_->run_blocking(load);
  if (!rows || !*rows) {
    throw std::runtime_error("XMPP edge: loading the policy failed: " +
                             (!rows ? rows.error() : rows->error()).message());
  }
  xmpp_ = std::make_unique<XmppEdge>(ioc_, config_, *pool_, tasks_, metrics_, log_,
                                     [this] { return policy(); });
  xmpp_->start(**rows);
}

// The SIP edge feeds the XMPP edge's switchboard (one switchboard per node); it starts from
// the policy as it is now, like the XMPP edge.
void Node::start_sip() {
  if (config_.sip_tls_listen.empty() && config_.sip_tcp_listen.empty() &&
      config_.sip_udp_listen.empty()) {
    log_.info("sip.off", {{"reason", "no sip-tls-listen, sip-tcp-listen or sip-udp-listen"}});
    return;
  }
  if (!xmpp_) {
    log_.warn("sip.off", {{"reason", "no switchboard: the SIP edge needs xmpp-listen"}});
    return;
  }
  auto load = [](pqxx::connection& c) { return load_policy(c); };
  auto rows = pool_->run_blocking(load);
  if (!rows || !*rows) {
    throw std::runtime_error("SIP edge: loading the policy failed: " +
                             (!rows ? rows.error() : rows->error()).message());
  }
  sip_ = std::make_unique<SipEdge>(ioc_, config_, tasks_, metrics_, log_, xmpp_->switchboard());
  sip_->persist_to(*pool_);  // subscription dialogs survive a restart (sip_dialogs)
  sip_->start(**rows);
}

AdminReply Node::trace_route(const AdminRequest& req) {
  if (req.method == "POST") {
    for (auto [key, flag] : {std::pair{"sip", &WireTrace::sip}, {"xmpp", &WireTrace::xmpp}}) {
      if (auto it = req.query.find(key); it != req.query.end()) {
        flag->store(it->second == "on" || it->second == "1" || it->second == "true");
        log_.info("trace.switched", {{"protocol", key}, {"on", flag->load()}});
      }
    }
    if (auto it = req.query.find("log_level"); it != req.query.end()) {
      auto level = parse_log_level(it->second);
      if (!level) {
        return {400, "application/json", "{\"error\":\"bad_log_level\"}\n"};
      }
      set_log_level(*level);
    }
  }
  return {200, "application/json",
          fmt::format("{{\"sip\":{},\"xmpp\":{},\"log_level\":\"{}\"}}\n", WireTrace::sip.load(),
                      WireTrace::xmpp.load(), to_string(log_level()))};
}

bool Node::ready(std::string& why) const {
  if (stopping_) {
    why = "stopping";
  } else if (!policy_.load()) {
    why = "policy_not_loaded";
  } else if (!watcher_->connected()) {
    why = "policy_listener_disconnected";
  } else if (!membership_->healthy()) {
    why = "database_unreachable";
  } else if (!admin_->listening()) {
    why = "admin_not_listening";
  } else if (xmpp_ && !xmpp_->listening()) {
    why = "xmpp_not_listening";
  } else if (xmpp_ && !xmpp_->switchboard().restored()) {
    why = "switchboard_restoring";
  } else if (sip_ && !sip_->listening()) {
    why = "sip_not_listening";
  } else {
    why = "ok";
    return true;
  }
  return false;
}

int Node::run() {
  asio::signal_set signals(ioc_, SIGINT, SIGTERM);
  signals.async_wait([this](boost::system::error_code ec, int sig) {
    if (!ec) {
      log_.info("node.stopping", {{"signal", sig}});
      shutdown();
    }
  });
  std::cout << fmt::format("fedgate node {} ({}) running\n  admin http://{}:{}/  (token file {})\n",
                           config_.node_id, config_.node_fqdn,
                           admin_endpoint_.address().to_string(), admin_endpoint_.port(),
                           config_.admin_token.empty() ? config_.admin_token_file.string()
                                                       : std::string("from config"))
            << std::flush;
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < thread_count(config_); ++i) {
    threads.emplace_back([this] { ioc_.run(); });
  }
  ioc_.run();
  for (auto& t : threads) {
    t.join();
  }
  log_.info("node.stopped");
  return 0;
}

void Node::shutdown() {
  stopping_ = true;
  admin_->close();
  if (xmpp_) {
    xmpp_->stop();  // listeners closed, outbound streams closed: what is queued bounces
  }
  if (sip_) {
    sip_->stop();  // listeners closed, agent stopped
  }
  tasks_.cancel();
  asio::co_spawn(
      ioc_,
      [this]() -> asio::awaitable<void> {
        bool drained = co_await tasks_.wait(std::chrono::seconds(config_.drain_timeout_s));
        if (!drained) {
          log_.warn("node.drain_timeout", {{"remaining", tasks_.size()}});
          tasks_.cancel(asio::cancellation_type::terminal);
          co_await tasks_.wait(std::chrono::seconds(1));
        }
        ioc_.stop();
      },
      asio::detached);
}

}  // namespace fedgate::gateway
