#include "tests/support/pg/test_postgres.hpp"

#include <stdlib.h>

#include <pqxx/pqxx>
#include <random>
#include <stdexcept>

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

}  // namespace

TestPostgres::TestPostgres(fs::path dir)
    : dir_(std::move(dir)),
      server_(gateway::EmbeddedPostgresOptions{.data_dir = dir_ / "pg",
                                               .database = "postgres",
                                               .fast_unsafe = true}) {}

TestPostgres::~TestPostgres() {
  (void)server_.stop();
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
                        (migrated ? std::string{kTemplate} : std::string{"template0"}));
  return server_.conninfo(name);
}

void PgTest::SetUp() {
  try {
    conninfo_ = TestPostgres::instance().create_database();
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
}

}  // namespace fedgate::test
