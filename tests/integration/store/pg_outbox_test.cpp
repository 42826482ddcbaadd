// PgOutbox against a real PostgreSQL: accepted messages survive a restart until they are
// delivered or bounced (DESIGN.md: an accepted IM is never silently dropped).
#include "gateway/store/pg_outbox.hpp"

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "gateway/store/outbox_retention.hpp"
#include "tests/support/pg/test_postgres.hpp"

namespace fedgate::gateway {
namespace {

using presence::Address;
using presence::OutboundMessage;
using presence::PortErrc;

OutboundMessage make_message(const char* body) {
  OutboundMessage m;
  m.in_id = "stanza-1";
  m.from = Address::parse("alice@corp.example/laptop").value();
  m.to = Address::parse("bob@partner.example").value();
  m.mode = presence::DeliveryMode::sip_session;
  m.content.body = body;
  m.content.formatted_body = "<b>hi</b>";
  m.content.formatted_type = "text/html";
  m.content.language = "en";
  m.content.chat_state = presence::ChatState::active;
  return m;
}

class PgOutboxTest : public test::PgTest {
 protected:
  MetricsRegistry metrics_;
};

TEST_F(PgOutboxTest, AcceptedMessagesSurviveARestartInOrder) {
  auto first = make_message("hello");
  auto second = make_message("again");
  {
    DbPool pool{conninfo_, 1, Logger{}, metrics_};
    PgOutbox outbox{pool, "node-a"};
    first.outbox_id = outbox.accept(first).value();
    second.outbox_id = outbox.accept(second).value();
  }
  DbPool pool{conninfo_, 1, Logger{}, metrics_};  // the restarted node
  auto pending = PgOutbox{pool, "node-b"}.load_undelivered();
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending.value().size(), 2u);
  EXPECT_EQ(pending.value()[0], first);
  EXPECT_EQ(pending.value()[1], second);
  EXPECT_EQ(test::query_value(conninfo_, "SELECT string_agg(DISTINCT node_id, ',') FROM outbox"),
            "node-a");
}

TEST_F(PgOutboxTest, DeliveredAndBouncedMessagesLeaveTheOutbox) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  PgOutbox outbox{pool, "node-a"};
  auto delivered = outbox.accept(make_message("one")).value();
  auto bounced = outbox.accept(make_message("two")).value();
  ASSERT_TRUE(outbox.mark_delivered(delivered));
  ASSERT_TRUE(outbox.mark_bounced(
      bounced, {presence::ErrorCondition::remote_server_timeout, "no answer from partner"}));
  EXPECT_TRUE(outbox.load_undelivered().value().empty());
  EXPECT_EQ(test::query_value(conninfo_, "SELECT bounce_text FROM outbox WHERE state = 'bounced'"),
            "no answer from partner");
}

TEST_F(PgOutboxTest, MarkingIsIdempotentAndUnknownIdsAreNotFound) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  PgOutbox outbox{pool, "node-a"};
  auto id = outbox.accept(make_message("one")).value();
  ASSERT_TRUE(outbox.mark_delivered(id));
  EXPECT_TRUE(outbox.mark_delivered(id));
  EXPECT_TRUE(outbox.mark_bounced(id, {}));  // final already: stays delivered
  EXPECT_EQ(test::query_value(conninfo_, "SELECT state FROM outbox"), "delivered");
  auto missing = outbox.mark_delivered(id + 1000);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), PortErrc::not_found);
}

TEST_F(PgOutboxTest, ADeliveredMarkChangesOnlyAcceptedOrDeliveringRows) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  PgOutbox outbox{pool, "node-a"};
  auto bounced = outbox.accept(make_message("bounced")).value();
  auto delivering = outbox.accept(make_message("delivering")).value();
  ASSERT_TRUE(outbox.mark_bounced(bounced, {}));
  test::exec_sql(conninfo_, "UPDATE outbox SET state = 'delivering' WHERE body = 'delivering'");
  EXPECT_TRUE(outbox.mark_delivered(bounced));  // exists: answered, but stays bounced
  EXPECT_TRUE(outbox.mark_delivered(delivering));
  EXPECT_EQ(test::query_value(conninfo_,
                              "SELECT string_agg(body || '=' || state || attempts, ',' "
                              "ORDER BY id) FROM outbox"),
            "bounced=bounced1,delivering=delivered1");
}

// Four rows: finished two days ago (delivered, bounced), delivered just now, accepted two days
// ago and never finished. Returns their ids in that order.
std::vector<std::int64_t> aged_rows(PgOutbox& outbox, const std::string& conninfo) {
  std::vector<std::int64_t> ids;
  for (const char* body : {"old delivered", "old bounced", "new delivered", "old pending"}) {
    ids.push_back(outbox.accept(make_message(body)).value());
  }
  EXPECT_TRUE(outbox.mark_delivered(ids[0]));
  EXPECT_TRUE(outbox.mark_bounced(ids[1], {presence::ErrorCondition::item_not_found, ""}));
  EXPECT_TRUE(outbox.mark_delivered(ids[2]));
  test::exec_sql(conninfo, fmt::format("UPDATE outbox SET updated_at = now() - interval '2 days' "
                                       "WHERE id IN ({}, {}, {})",
                                       ids[0], ids[1], ids[3]));
  return ids;
}

// One retention step with a 24 h age and at most `limit` rows: the rows deleted.
std::size_t purge_day_old(DbPool& pool, std::size_t limit) {
  auto purge = [limit](pqxx::connection& c) {
    return purge_finished_outbox(c, std::chrono::hours(24), limit);
  };
  return pool.run_blocking(purge).value();
}

TEST_F(PgOutboxTest, RetentionDeletesOnlyFinishedRowsOlderThanItsAge) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  PgOutbox outbox{pool, "node-a"};
  auto ids = aged_rows(outbox, conninfo_);
  EXPECT_EQ(purge_day_old(pool, 100), 2u);
  EXPECT_EQ(test::query_value(conninfo_, "SELECT string_agg(id::text, ',' ORDER BY id) FROM outbox"),
            fmt::format("{},{}", ids[2], ids[3]));
  EXPECT_EQ(outbox.load_undelivered().value().size(), 1u);  // the pending one is still owed
}

TEST_F(PgOutboxTest, RetentionStepsAreBoundedAndTakeTheOldestFirst) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  PgOutbox outbox{pool, "node-a"};
  auto ids = aged_rows(outbox, conninfo_);
  EXPECT_EQ(purge_day_old(pool, 1), 1u);
  EXPECT_EQ(test::query_value(conninfo_, fmt::format("SELECT count(*) FROM outbox WHERE id = {}",
                                                     ids[0])),
            "0");
  EXPECT_EQ(test::query_value(conninfo_, "SELECT count(*) FROM outbox"), "3");
}

TEST_F(PgOutboxTest, ARetentionRoundDeletesTheOldFinishedRowsAndCountsThem) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  PgOutbox outbox{pool, "node-a"};
  aged_rows(outbox, conninfo_);
  OutboxRetention retention{pool, metrics_, Logger{}};
  boost::asio::io_context io;
  auto done = boost::asio::co_spawn(io, retention.round(), boost::asio::use_future);
  io.run_for(std::chrono::seconds(30));
  EXPECT_EQ(done.get(), 2u);
  EXPECT_NE(metrics_.render().find("fedgate_outbox_purged_total 2"), std::string::npos);
  EXPECT_EQ(test::query_value(conninfo_, "SELECT count(*) FROM outbox"), "2");
}

TEST_F(PgOutboxTest, AcceptFailsLoudlyWhenTheDatabaseIsUnreachable) {
  DbPool pool{"host=/nonexistent-fedgate-dir port=1 user=x dbname=x", 1, Logger{}, metrics_};
  auto accepted = PgOutbox{pool, "node-a"}.accept(make_message("lost?"));
  ASSERT_FALSE(accepted);
  EXPECT_EQ(accepted.error(), PortErrc::unavailable);
}

}  // namespace
}  // namespace fedgate::gateway
