#include "tests/support/pg/test_postgres.hpp"

#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

#include <pqxx/pqxx>
#include <fstream>
#include <random>
#include <stdexcept>

#include "gateway/store/child_process.hpp"
#include "gateway/store/migrator.hpp"

namespace fs = std::filesystem;

namespace fedgate::test {
namespace {

constexpr char kTemplate[] = "fedgate_migrated_template";

fs::path make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "fedgate-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed under " + fs::temp_directory_path().string());
  }
  return pattern;
}

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

gateway::EmbeddedPostgresOptions test_options(fs::path data_dir) {
  return {.data_dir = std::move(data_dir), .database = "postgres", .fast_unsafe = true};
}

// A stopped cluster holding kTemplate with every migration applied, built once per build tree
// and schema version (the key hashes the SQL), under an flock so parallel tests share it.
fs::path cached_cluster() {
  std::string sql;
  for (const auto& m : gateway::all_migrations()) {
    sql += m.sql;
  }
  char key[32];
  std::snprintf(key, sizeof key, "%016zx", std::hash<std::string>{}(sql));
  fs::path root = FEDGATE_TEST_PG_CACHE;
  fs::create_directories(root);
  auto ready = root / key;
  int lock = ::open((root / "lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (lock < 0 || ::flock(lock, LOCK_EX) != 0) {
    throw std::runtime_error("cannot lock " + (root / "lock").string());
  }
  if (!fs::exists(ready)) {
    auto building = root / (std::string{key} + ".build");
    fs::remove_all(building);
    {
      gateway::EmbeddedPostgres pg{test_options(building)};
      if (!pg.start()) {
        ::close(lock);
        throw std::runtime_error("template cluster did not start: " + pg.last_error());
      }
      exec_admin(pg.conninfo("postgres"), std::string{"CREATE DATABASE "} + kTemplate);
      if (!gateway::apply_migrations(pg.conninfo(kTemplate), Logger{})) {
        ::close(lock);
        throw std::runtime_error("migrations failed on the template cluster");
      }
    }  // stopped cleanly here
    fs::rename(building, ready);
  }
  ::close(lock);
  return ready;
}

}  // namespace

TestPostgres::TestPostgres(fs::path dir)
    : dir_(std::move(dir)), server_(test_options(dir_ / "pg")) {
  auto copied = gateway::run_child({"/bin/cp", "-a", cached_cluster().string(),
                                    (dir_ / "pg").string()},
                                   {});
  if (!copied || copied->exit_status != 0) {
    throw std::runtime_error("copying the template cluster failed: " +
                             (copied ? copied->output : copied.error().message()));
  }
  template_ready_ = true;
}

// The data is thrown away: an immediate shutdown (SIGQUIT) is enough, and fast.
TestPostgres::~TestPostgres() {
  std::ifstream pid_file{dir_ / "pg" / "postmaster.pid"};
  pid_t pid = 0;
  if (pid_file >> pid && pid > 0 && ::kill(pid, SIGQUIT) == 0) {
    for (int i = 0; i < 500 && server_.running(); ++i) {
      ::usleep(10'000);
    }
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

TestPostgres& TestPostgres::instance() {
  static TestPostgres pg{make_temp_dir()};
  if (!pg.server_.running()) {
    if (auto started = pg.server_.start(); !started) {
      throw std::runtime_error("test PostgreSQL did not start: " + pg.server_.last_error());
    }
  }
  return pg;
}

std::string TestPostgres::create_database(bool migrated) {
  auto admin = server_.conninfo("postgres");
  if (migrated && !template_ready_) {
    exec_admin(admin, std::string{"CREATE DATABASE "} + kTemplate);
    auto applied = gateway::apply_migrations(server_.conninfo(kTemplate), Logger{});
    if (!applied) {
      throw std::runtime_error("migrations failed: " + applied.error().message());
    }
    template_ready_ = true;
  }
  auto name = random_name();
  exec_admin(admin, "CREATE DATABASE " + name + " TEMPLATE " +
                        (migrated ? std::string{kTemplate} : std::string{"template0"}) +
                        " STRATEGY = FILE_COPY");
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
