// InMemoryOutbox: Outbox in a std::map, for tests and single-node runs. Not thread-safe:
// one owner. Same contract as outbox.hpp (ids > 0, idempotent final states).
#pragma once

#include <map>
#include <optional>

#include "presence/outbox.hpp"

namespace fedgate::presence {

class InMemoryOutbox final : public Outbox {
 public:
  enum class RowState { accepted, delivered, bounced };

  PortResult<std::int64_t> accept(const OutboundMessage& m) override {
    Row row{m, RowState::accepted, std::nullopt};
    row.message.outbox_id = ++last_id_;
    rows_.emplace(last_id_, std::move(row));
    return last_id_;
  }
  PortResult<Done> mark_delivered(std::int64_t id) override {
    return finish(id, RowState::delivered, std::nullopt);
  }
  PortResult<Done> mark_bounced(std::int64_t id, const StanzaError& why) override {
    return finish(id, RowState::bounced, why);
  }
  PortResult<std::vector<OutboundMessage>> load_undelivered() override {
    std::vector<OutboundMessage> out;
    for (const auto& [id, row] : rows_) {
      if (row.state == RowState::accepted) {
        out.push_back(row.message);
      }
    }
    return out;
  }
  std::optional<RowState> state_of(std::int64_t id) const {
    auto it = rows_.find(id);
    return it == rows_.end() ? std::nullopt : std::optional<RowState>{it->second.state};
  }

 private:
  struct Row {
    OutboundMessage message;
    RowState state;
    std::optional<StanzaError> bounce;
  };
  PortResult<Done> finish(std::int64_t id, RowState to, std::optional<StanzaError> why) {
    auto it = rows_.find(id);
    if (it == rows_.end()) {
      return PortErrc::not_found;
    }
    if (it->second.state == RowState::accepted) {
      it->second.state = to;
      it->second.bounce = std::move(why);
    }
    return Done{};
  }
  std::map<std::int64_t, Row> rows_;
  std::int64_t last_id_ = 0;
};

}  // namespace fedgate::presence
