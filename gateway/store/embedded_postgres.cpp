#include "gateway/store/embedded_postgres.hpp"

#include <pqxx/pqxx>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "gateway/store/child_process.hpp"
#include "gateway/store/pg_error.hpp"
#include "gateway/store/store_error.hpp"

namespace fs = std::filesystem;

namespace fedgate::gateway {
namespace {

constexpr int kPort = 5432;
constexpr std::size_t kMaxSocketPath = 100;  // sun_path is 108 bytes
constexpr auto kReadyTimeout = seconds(60);
constexpr char kServerLog[] = "postgresql.log";

fs::path newest_bin_dir() {
  fs::path best;
  int best_version = -1;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    int version = std::atoi(entry.path().filename().c_str());
    if (version > best_version && fs::exists(entry.path() / "bin" / "initdb")) {
      best_version = version;
      best = entry.path() / "bin";
    }
  }
  return best;
}

// libpq conninfo value: quoted, with ' and \ escaped.
std::string conninfo_value(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "'";
}

// postgresql.conf string value: quoted, with ' doubled.
std::string conf_value(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    out += c;
    if (c == '\'') {
      out += '\'';
    }
  }
  return out + "'";
}

std::optional<pid_t> postmaster_pid(const fs::path& data_dir) {
  std::ifstream in{data_dir / "postmaster.pid"};
  long pid = 0;
  if (!(in >> pid) || pid <= 0) {
    return std::nullopt;
  }
  return static_cast<pid_t>(pid);
}

// Alive (not a zombie waiting for a slow init to reap it) and really a postgres process: the
// pid in a stale file may have been reused.
bool is_live_postgres(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno != EPERM) {
    return false;
  }
  std::ifstream stat{"/proc/" + std::to_string(pid) + "/stat"};
  std::string line;
  std::getline(stat, line);
  auto open = line.find('(');
  auto close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close + 2 >= line.size()) {
    return false;
  }
  char state = line[close + 2];
  return line.compare(open + 1, 8, "postgres") == 0 && state != 'Z' && state != 'X';
}

std::string tail(const fs::path& file, std::size_t max_bytes) {
  std::ifstream in{file, std::ios::binary};
  std::stringstream ss;
  ss << in.rdbuf();
  auto text = ss.str();
  return text.size() > max_bytes ? text.substr(text.size() - max_bytes) : text;
}

}  // namespace

EmbeddedPostgres::EmbeddedPostgres(EmbeddedPostgresOptions options)
    : options_(std::move(options)) {
  options_.data_dir = fs::absolute(options_.data_dir).lexically_normal();
  as_postgres_user_ = ::geteuid() == 0;
  if (const passwd* pw = as_postgres_user_ ? ::getpwnam("postgres") : nullptr) {
    postgres_uid_ = pw->pw_uid;
    postgres_gid_ = pw->pw_gid;
  }
}

EmbeddedPostgres::~EmbeddedPostgres() {
  if (!options_.keep_running && running()) {
    (void)stop();
  }
}

result<void> EmbeddedPostgres::fail(std::string detail) {
  options_.log.error("store.embedded.failed",
                     {{"data_dir", options_.data_dir.string()}, {"error", detail}});
  last_error_ = std::move(detail);
  return make_error_code(StoreErrc::embedded_failed);
}

fs::path EmbeddedPostgres::socket_dir() const {
  auto socket = options_.data_dir / (".s.PGSQL." + std::to_string(kPort));
  if (socket.string().size() < kMaxSocketPath) {
    return options_.data_dir;
  }
  auto hash = std::hash<std::string>{}(options_.data_dir.string());
  char name[40];
  std::snprintf(name, sizeof name, "fedgate-pg-%016zx", hash);
  return fs::temp_directory_path() / name;
}

std::string EmbeddedPostgres::conninfo() const { return conninfo(options_.database); }

std::string EmbeddedPostgres::conninfo(const std::string& database) const {
  return "host=" + conninfo_value(socket_dir().string()) + " port=" + std::to_string(kPort) +
         " user=postgres dbname=" + conninfo_value(database);
}

bool EmbeddedPostgres::running() const {
  auto pid = postmaster_pid(options_.data_dir);
  return pid && is_live_postgres(*pid);
}

result<void> EmbeddedPostgres::start() {
  last_error_.clear();
  if (bin_dir_.empty()) {
    bin_dir_ = options_.bin_dir.empty() ? newest_bin_dir() : options_.bin_dir;
    if (bin_dir_.empty() || !fs::exists(bin_dir_ / "pg_ctl")) {
      return fail("no PostgreSQL server binaries (initdb, pg_ctl) found in " +
                  (bin_dir_.empty() ? std::string{"/usr/lib/postgresql/*/bin"}
                                    : bin_dir_.string()) +
                  "; install postgresql");
    }
  }
  if (auto r = prepare_data_dir(); !r) {
    return r;
  }
  if (auto r = write_config(); !r) {
    return r;
  }
  if (auto r = start_server(); !r) {
    return r;
  }
  if (auto r = wait_ready(); !r) {
    return r;
  }
  return create_database();
}

result<void> EmbeddedPostgres::restart() {
  if (auto r = stop(); !r) {
    return r;
  }
  return start();
}

}  // namespace fedgate::gateway

namespace fedgate::gateway {

result<void> EmbeddedPostgres::run_tool(const std::vector<std::string>& argv) {
  options_.log.info("store.embedded.exec", {{"command", describe_command(argv)}});
  ChildOptions child;
  if (as_postgres_user_) {
    child.run_as = RunAs{postgres_uid_, postgres_gid_};
  }
  auto done = run_child(argv, child);
  if (!done) {
    return fail("cannot run " + describe_command(argv) + ": " + done.error().message());
  }
  if (done->timed_out || done->exit_status != 0) {
    return fail(describe_command(argv) +
                (done->timed_out ? " timed out" : " exited with status " +
                                                      std::to_string(done->exit_status)) +
                ":\n" + done->output);
  }
  return {};
}

// As root: the data directory belongs to `postgres`.
result<void> EmbeddedPostgres::hand_to_postgres_user(const fs::path& path) {
  if (!as_postgres_user_) {
    return {};
  }
  if (::chown(path.c_str(), postgres_uid_, postgres_gid_) != 0) {
    return fail("cannot chown " + path.string() + " to postgres: " + std::strerror(errno));
  }
  return {};
}

// As root: every ancestor of `dir` must let `postgres` pass (the search bit only; nothing
// becomes listable or readable).
void EmbeddedPostgres::grant_search(const fs::path& dir) {
  if (!as_postgres_user_) {
    return;
  }
  for (auto up = dir.parent_path(); !up.empty() && up != up.root_path(); up = up.parent_path()) {
    std::error_code ec;
    auto perms = fs::status(up, ec).permissions();
    if (!ec && (perms & fs::perms::others_exec) == fs::perms::none) {
      options_.log.info("store.embedded.grant_search", {{"dir", up.string()}});
      fs::permissions(up, fs::perms::others_exec, fs::perm_options::add, ec);
    }
  }
}

result<void> EmbeddedPostgres::prepare_data_dir() {
  const auto& dir = options_.data_dir;
  if (dir.string().find_first_of("\"'$`\\\n") != std::string::npos) {
    return fail("data directory " + dir.string() + " contains quote or shell characters");
  }
  if (as_postgres_user_ && postgres_uid_ == 0) {
    return fail("running as root, but there is no `postgres` system user to run PostgreSQL");
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return fail("cannot create " + dir.string() + ": " + ec.message());
  }
  grant_search(dir);
  if (fs::exists(dir / "PG_VERSION")) {
    return hand_to_postgres_user(dir);
  }
  if (!fs::is_empty(dir, ec)) {
    return fail(dir.string() + " is not empty and holds no PostgreSQL cluster (no PG_VERSION)");
  }
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (auto r = hand_to_postgres_user(dir); !r) {
    return r;
  }
  std::vector<std::string> initdb{(bin_dir_ / "initdb").string(), "-D", dir.string(), "-E",
                                  "UTF8", "--locale=C", "--auth=trust", "--username=postgres",
                                  "--no-sync"};
  if (options_.fast_unsafe) {
    initdb.push_back("--wal-segsize=1");  // a small cluster to copy
  }
  if (auto r = run_tool(initdb); !r) {
    return r;
  }
  std::ofstream conf{dir / "postgresql.conf", std::ios::app};
  conf << "\n# fedgate: socket-only settings, rewritten at every start\n"
       << "include_if_exists = 'fedgate.conf'\n";
  return conf ? result<void>{} : fail("cannot append to postgresql.conf");
}

result<void> EmbeddedPostgres::write_config() {
  auto sock = socket_dir();
  std::error_code ec;
  if (sock != options_.data_dir) {
    fs::create_directories(sock, ec);
    fs::permissions(sock, fs::perms::owner_all, fs::perm_options::replace, ec);
    grant_search(sock);
    if (auto r = hand_to_postgres_user(sock); !r) {
      return r;
    }
  }
  auto path = options_.data_dir / "fedgate.conf";
  {
    std::ofstream conf{path, std::ios::trunc};
    conf << "listen_addresses = ''\n"
         << "unix_socket_directories = " << conf_value(sock.string()) << "\n"
         << "port = " << kPort << "\n"
         << "max_connections = 200\n";
    if (options_.fast_unsafe) {
      conf << "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";
    }
    if (!conf) {
      return fail("cannot write " + path.string());
    }
  }
  return hand_to_postgres_user(path);
}

result<void> EmbeddedPostgres::start_server() {
  const auto& dir = options_.data_dir;
  if (auto pid = postmaster_pid(dir)) {
    if (is_live_postgres(*pid)) {
      options_.log.info("store.embedded.reuse", {{"pid", *pid}, {"data_dir", dir.string()}});
      return {};
    }
    options_.log.info("store.embedded.stale_pid", {{"pid", *pid}, {"data_dir", dir.string()}});
    std::error_code ec;
    fs::remove(dir / "postmaster.pid", ec);
  }
  auto started = run_tool({(bin_dir_ / "pg_ctl").string(), "start", "-D", dir.string(), "-w",
                           "-t", "60", "-l", (dir / kServerLog).string()});
  if (!started) {
    last_error_ += "\nserver log:\n" + tail(dir / kServerLog, 2000);
  }
  return started;
}

result<void> EmbeddedPostgres::wait_ready() {
  auto deadline = Clock::now() + kReadyTimeout;
  std::string error;
  while (Clock::now() < deadline) {
    try {
      pqxx::connection probe{conninfo("postgres")};
      return {};
    } catch (...) {
      error = classify_pg_exception(std::current_exception()).detail;
    }
    std::this_thread::sleep_for(milliseconds(100));
  }
  return fail("PostgreSQL did not accept connections within 60 s: " + error);
}

result<void> EmbeddedPostgres::create_database() {
  try {
    pqxx::connection conn{conninfo("postgres")};
    pqxx::nontransaction tx{conn};
    if (tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", options_.database)
            .empty()) {
      tx.exec("CREATE DATABASE " + tx.quote_name(options_.database));
      options_.log.info("store.embedded.database_created", {{"database", options_.database}});
    }
    options_.log.info("store.embedded.ready", {{"socket_dir", socket_dir().string()}});
    return {};
  } catch (...) {
    return fail("cannot create database " + options_.database + ": " +
                classify_pg_exception(std::current_exception()).detail);
  }
}

result<void> EmbeddedPostgres::stop() {
  if (!running()) {
    return {};
  }
  if (bin_dir_.empty()) {
    bin_dir_ = options_.bin_dir.empty() ? newest_bin_dir() : options_.bin_dir;
  }
  auto stopped = run_tool({(bin_dir_ / "pg_ctl").string(), "stop", "-D",
                           options_.data_dir.string(), "-m", "fast", "-w", "-t", "60"});
  if (stopped && socket_dir() != options_.data_dir) {
    std::error_code ec;
    fs::remove(socket_dir(), ec);  // the short fallback directory, once empty
  }
  return stopped;
}

}  // namespace fedgate::gateway
