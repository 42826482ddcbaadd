#include "gateway/store/pg_outbox.hpp"

#include <pqxx/pqxx>

#include <optional>

#include "gateway/store/port_errors.hpp"
#include "gateway/store/port_rows.hpp"

namespace fedgate::gateway {
namespace {

using presence::ChatState;
using presence::DeliveryMode;
using presence::OutboundMessage;
using presence::PortErrc;

constexpr std::pair<DeliveryMode, std::string_view> kModes[] = {
    {DeliveryMode::xmpp_stanza, "xmpp_stanza"},
    {DeliveryMode::sip_session, "sip_session"},
    {DeliveryMode::sip_page, "sip_page"}};

std::string mode_name(DeliveryMode m) {
  for (const auto& [mode, name] : kModes) {
    if (mode == m) {
      return std::string{name};
    }
  }
  return "xmpp_stanza";
}

std::optional<DeliveryMode> parse_mode(std::string_view text) {
  for (const auto& [mode, name] : kModes) {
    if (name == text) {
      return mode;
    }
  }
  return std::nullopt;
}

std::optional<ChatState> parse_chat_state(std::string_view text) {
  for (auto s : {ChatState::none, ChatState::active, ChatState::composing, ChatState::paused,
                 ChatState::inactive, ChatState::gone}) {
    if (presence::to_string(s) == text) {
      return s;
    }
  }
  return std::nullopt;
}

std::optional<OutboundMessage> from_row(const pqxx::row& r) {
  auto from = presence::Address::parse(r[2].c_str());
  auto to = presence::Address::parse(r[3].c_str());
  auto mode = parse_mode(r[4].c_str());
  auto chat_state = parse_chat_state(r[10].c_str());
  if (!from || !to || !mode || !chat_state) {
    return std::nullopt;
  }
  OutboundMessage m;
  m.outbox_id = r[0].as<std::int64_t>();
  m.in_id = r[1].as<std::string>();
  m.from = *from;
  m.to = *to;
  m.mode = *mode;
  m.content = {r[5].as<std::string>(), r[6].as<std::string>(), r[7].as<std::string>(),
               r[8].as<std::string>(), r[9].as<std::string>(), *chat_state,
               r[11].as<std::string>()};
  return m;
}

}  // namespace

presence::PortResult<std::int64_t> PgOutbox::accept(const OutboundMessage& m) {
  auto write = [&](pqxx::connection& c) -> std::int64_t {
    pqxx::work tx{c};
    const auto& k = m.content;
    auto rows = tx.exec_params(
        "INSERT INTO outbox (in_id, sender, recipient, mode, body, formatted_body, "
        "formatted_type, subject, language, chat_state, thread, node_id) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        m.in_id, m.from.full(), m.to.full(), mode_name(m.mode), k.body, k.formatted_body,
        k.formatted_type, k.subject, k.language, std::string{presence::to_string(k.chat_state)},
        k.thread, node_id_);
    tx.commit();
    return rows[0][0].as<std::int64_t>();
  };
  auto id = pool_.run_blocking(write);
  if (!id) {
    return to_port_errc(id.error());
  }
  return *id;
}

presence::PortResult<presence::Done> PgOutbox::finish(std::int64_t id, const char* state,
                                                      const presence::StanzaError* why) {
  auto write = [&](pqxx::connection& c) -> bool {
    pqxx::work tx{c};
    auto changed = tx.exec_params(
        "UPDATE outbox SET state = $2, bounce_condition = $3, bounce_text = $4, "
        "attempts = attempts + 1, updated_at = now() "
        "WHERE id = $1 AND state IN ('accepted', 'delivering')",
        id, std::string{state},
        why ? std::optional<std::string>{std::string{presence::to_string(why->condition)}}
            : std::nullopt,
        why ? std::optional<std::string>{why->text} : std::nullopt);
    bool exists = changed.affected_rows() == 1 ||
                  !tx.exec_params("SELECT 1 FROM outbox WHERE id = $1", id).empty();
    tx.commit();
    return exists;
  };
  auto exists = pool_.run_blocking(write);
  if (!exists) {
    return to_port_errc(exists.error());
  }
  if (!*exists) {
    return PortErrc::not_found;
  }
  return presence::Done{};
}

presence::PortResult<presence::Done> PgOutbox::mark_delivered(std::int64_t id) {
  return finish(id, "delivered", nullptr);
}

presence::PortResult<presence::Done> PgOutbox::mark_bounced(std::int64_t id,
                                                            const presence::StanzaError& why) {
  return finish(id, "bounced", &why);
}

presence::PortResult<std::vector<OutboundMessage>> PgOutbox::load_undelivered() {
  return load_rows<OutboundMessage>(
      pool_,
      "SELECT id, in_id, sender, recipient, mode, body, formatted_body, formatted_type, "
      "subject, language, chat_state, thread FROM outbox "
      "WHERE state IN ('accepted', 'delivering') ORDER BY id",
      from_row);
}

}  // namespace fedgate::gateway
