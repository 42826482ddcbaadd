#include "gateway/store/store_error.hpp"

#include <string>

namespace fedgate::gateway {
namespace {

class StoreCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "fedgate.store"; }
  std::string message(int ev) const override {
    switch (static_cast<StoreErrc>(ev)) {
      case StoreErrc::unavailable: return "database unavailable";
      case StoreErrc::constraint_violation: return "database constraint violated";
      case StoreErrc::query_failed: return "database query failed";
      case StoreErrc::migration_failed: return "schema migration failed";
      case StoreErrc::embedded_failed: return "embedded PostgreSQL failed";
      case StoreErrc::not_found: return "row not found";
    }
    return "unknown store error";
  }
};

}  // namespace

const boost::system::error_category& store_category() noexcept {
  static const StoreCategory category;
  return category;
}

}  // namespace fedgate::gateway
