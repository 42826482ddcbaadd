#include "tests/support/pg/test_postgres.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

#include <fstream>
#include <pqxx/pqxx>
#include <random>
#include <stdexcept>

#include "gateway/store/child_process.hpp"
#include "gateway/store/migrator.hpp"
#include "gateway/store/store_error.hpp"

namespace fs = std::filesystem;

// libpqxx 6.4 leaks one PGresult (about 2 KB) when a query meets a connection the server has
// closed: encoding_id() throws before freeing it (jtv/libpqxx PR #500, fixed in 7.x). Tests
// that restart the server hit it on purpose; the Debian library has no symbols to be narrower.
extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx-6.4.so\n"; }

namespace fedgate::test {
namespace {

constexpr char kTemplate[] = "fedgate_migrated_template";

std::string random_name() {
  static std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string name = "t_";
  for (int i = 0; i < 12; ++i) {
    name += kAlphabet[rng() % (sizeof kAlphabet - 1)];
  }
  return name;
}

void exec_admin(const std::string& conninfo, const std::string& sql) {
  pqxx::connection conn{conninfo};
  pqxx::nontransaction tx{conn};
  tx.exec(sql);
}

gateway::EmbeddedPostgresOptions test_options(fs::path data_dir, bool keep_running = false) {
  return {.data_dir = std::move(data_dir),
          .database = "postgres",
          .fast_unsafe = true,
          .keep_running = keep_running};
}

// An exclusive flock on `path`, released when the object goes away.
class FileLock {
 public:
  explicit FileLock(const fs::path& path)
      : fd_(::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600)) {
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) {
      throw std::runtime_error("cannot lock " + path.string());
    }
  }
  ~FileLock() { ::close(fd_); }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

fs::path cache_root() {
  fs::path root = FEDGATE_TEST_PG_CACHE;
  fs::create_directories(root);
  return root;
}

// Identifies the schema: a new migration makes a new template cluster.
std::string schema_key() {
  std::string sql;
  for (const auto& m : gateway::all_migrations()) {
    sql += m.sql;
  }
  char key[32];
  std::snprintf(key, sizeof key, "%016zx", std::hash<std::string>{}(sql));
  return key;
}

// A stopped cluster holding kTemplate with every migration applied, built once per build tree
// and schema. Call with the cache lock held.
fs::path cached_cluster() {
  auto ready = cache_root() / ("template-" + schema_key());
  if (fs::exists(ready)) {
    return ready;
  }
  auto building = cache_root() / ("building-" + schema_key());
  fs::remove_all(building);
  {
    gateway::EmbeddedPostgres pg{test_options(building)};
    if (!pg.start()) {
      throw std::runtime_error("template cluster did not start: " + pg.last_error());
    }
    exec_admin(pg.conninfo("postgres"), std::string{"CREATE DATABASE "} + kTemplate);
    if (!gateway::apply_migrations(pg.conninfo(kTemplate), Logger{})) {
      throw std::runtime_error("migrations failed on the template cluster");
    }
  }  // stopped cleanly here
  fs::rename(building, ready);
  return ready;
}

void copy_cluster(const fs::path& from, const fs::path& to) {
  auto copied = gateway::run_child({"/bin/cp", "-a", from.string(), to.string()}, {});
  if (!copied || copied->exit_status != 0) {
    throw std::runtime_error("copying the template cluster failed: " +
                             (copied ? copied->output : copied.error().message()));
  }
}

fs::path make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "fedgate-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed under " + fs::temp_directory_path().string());
  }
  return pattern;
}

// Immediate shutdown (SIGQUIT): the data is thrown away anyway.
void quit_server(gateway::EmbeddedPostgres& server, const fs::path& data_dir) {
  std::ifstream pid_file{data_dir / "postmaster.pid"};
  pid_t pid = 0;
  if (pid_file >> pid && pid > 0 && server.running() && ::kill(pid, SIGQUIT) == 0) {
    for (int i = 0; i < 500 && server.running(); ++i) {
      ::usleep(10'000);
    }
  }
}

}  // namespace

TestPostgres::TestPostgres(fs::path data_dir, bool shared)
    : data_dir_(std::move(data_dir)), shared_(shared), server_(test_options(data_dir_, shared)) {
  auto root = cache_root();
  if (shared_) {
    users_lock_ = ::open((root / "users.lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (users_lock_ < 0 || ::flock(users_lock_, LOCK_SH) != 0) {
      throw std::runtime_error("cannot lock " + (root / "users.lock").string());
    }
  }
  FileLock lock{root / "cache.lock"};
  auto source = cached_cluster();
  if (!fs::exists(data_dir_ / "PG_VERSION")) {
    copy_cluster(source, data_dir_);
  }
  if (auto started = server_.start(); !started) {
    throw std::runtime_error("test PostgreSQL did not start: " + server_.last_error());
  }
}

TestPostgres::~TestPostgres() {
  for (const auto& db : databases_) {
    try {
      exec_admin(server_.conninfo("postgres"), "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    } catch (const std::exception&) {
      // the server may be down (a restart test); the directory goes anyway
    }
  }
  if (shared_ && ::flock(users_lock_, LOCK_EX | LOCK_NB) != 0) {
    ::close(users_lock_);  // another test process still uses the server
    return;
  }
  quit_server(server_, data_dir_);
  std::error_code ec;
  fs::remove_all(shared_ ? data_dir_ : data_dir_.parent_path(), ec);
  if (shared_) {
    ::close(users_lock_);
  }
}

TestPostgres& TestPostgres::instance() {
  static TestPostgres pg{cache_root() / ("shared-" + schema_key()), true};
  return pg;
}

TestPostgres& TestPostgres::isolated() {
  static TestPostgres pg{make_temp_dir() / "pg", false};
  return pg;
}

result<void> TestPostgres::stop() {
  if (shared_) {
    ADD_FAILURE() << "stop() on the shared test server: use TestPostgres::isolated()";
    return make_error_code(gateway::StoreErrc::embedded_failed);
  }
  return server_.stop();
}

result<void> TestPostgres::start() { return server_.start(); }

result<void> TestPostgres::restart() {
  if (auto stopped = stop(); !stopped) {
    return stopped;
  }
  return start();
}

std::string TestPostgres::create_database(bool migrated) {
  auto name = random_name();
  exec_admin(server_.conninfo("postgres"),
             "CREATE DATABASE " + name + " TEMPLATE " +
                 (migrated ? std::string{kTemplate} : std::string{"template0"}) +
                 " STRATEGY = FILE_COPY");
  databases_.push_back(name);
  return server_.conninfo(name);
}

void exec_sql(const std::string& conninfo, const std::string& sql) {
  pqxx::connection conn{conninfo};
  pqxx::work tx{conn};
  tx.exec(sql);
  tx.commit();
}

std::string sql_error(const std::string& conninfo, const std::string& sql) {
  try {
    exec_sql(conninfo, sql);
    return "";
  } catch (const pqxx::sql_error& e) {
    return e.what();
  }
}

std::string query_value(const std::string& conninfo, const std::string& sql) {
  pqxx::connection conn{conninfo};
  pqxx::nontransaction tx{conn};
  auto rows = tx.exec(sql);
  return rows.empty() || rows[0][0].is_null() ? "" : rows[0][0].as<std::string>();
}

void PgTest::SetUp() {
  try {
    conninfo_ = TestPostgres::instance().create_database();
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
}

}  // namespace fedgate::test
