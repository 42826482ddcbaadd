// PgOutbox against a real PostgreSQL: accepted messages survive a restart until they are
// delivered or bounced (DESIGN.md: an accepted IM is never silently dropped).
#include "gateway/store/pg_outbox.hpp"

#include <gtest/gtest.h>

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

TEST_F(PgOutboxTest, AcceptFailsLoudlyWhenTheDatabaseIsUnreachable) {
  DbPool pool{"host=/nonexistent-fedgate-dir port=1 user=x dbname=x", 1, Logger{}, metrics_};
  auto accepted = PgOutbox{pool, "node-a"}.accept(make_message("lost?"));
  ASSERT_FALSE(accepted);
  EXPECT_EQ(accepted.error(), PortErrc::unavailable);
}

}  // namespace
}  // namespace fedgate::gateway
