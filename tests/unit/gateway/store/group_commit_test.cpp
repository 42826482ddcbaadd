// GroupCommit: concurrent writes share one transaction; no caller hears of its write before
// that transaction returned; a failed commit fails every caller in the batch with its error.
#include "gateway/store/group_commit.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <optional>
#include <string>
#include <vector>

namespace fedgate::gateway {
namespace {

using presence::PortErrc;
using presence::PortResult;
using Results = PortResult<std::vector<PortResult<int>>>;

// Records every batch written and every answer given, in order.
class GroupCommitTest : public ::testing::Test {
 protected:
  using Commit = GroupCommit<std::string, int>;

  Commit make(std::function<Results(const std::vector<std::string>&)> write,
              std::size_t max_batch = 256) {
    return Commit{ioc_.get_executor(),
                  [this, write = std::move(write)](const std::vector<std::string>& items) {
                    batches_.push_back(items);
                    return write(items);
                  },
                  max_batch};
  }
  Commit::Done answer_to(std::string name) {
    return [this, name = std::move(name)](PortResult<int> r) { answers_.emplace_back(name, r); };
  }
  // Each item's value is its length: a writer that commits.
  static Results lengths(const std::vector<std::string>& items) {
    std::vector<PortResult<int>> out;
    for (const auto& i : items) {
      out.emplace_back(static_cast<int>(i.size()));
    }
    return out;
  }

  boost::asio::io_context ioc_;
  std::vector<std::vector<std::string>> batches_;
  std::vector<std::pair<std::string, PortResult<int>>> answers_;
};

TEST_F(GroupCommitTest, ConcurrentWritesShareOneTransaction) {
  auto commit = make(lengths);
  commit.submit("a", answer_to("a"));
  commit.submit("bb", answer_to("bb"));
  commit.submit("ccc", answer_to("ccc"));
  EXPECT_TRUE(answers_.empty());  // nothing runs before the executor does
  ioc_.run();
  ASSERT_EQ(batches_.size(), 1u);
  EXPECT_EQ(batches_[0], (std::vector<std::string>{"a", "bb", "ccc"}));
  ASSERT_EQ(answers_.size(), 3u);
  EXPECT_EQ(answers_[1], (std::pair<std::string, PortResult<int>>{"bb", 2}));
  EXPECT_EQ(answers_[2], (std::pair<std::string, PortResult<int>>{"ccc", 3}));
  EXPECT_EQ(commit.waiting(), 0u);
}

TEST_F(GroupCommitTest, WritesArrivingDuringACommitWaitForTheNextAndNothingIsAnsweredEarly) {
  std::optional<Commit> commit;
  std::vector<std::size_t> answered_when_written;
  commit.emplace(make([&](const std::vector<std::string>& items) {
    answered_when_written.push_back(answers_.size());
    if (batches_.size() == 1) {  // arrivals while the first transaction runs
      commit->submit("late1", answer_to("late1"));
      commit->submit("late2", answer_to("late2"));
    }
    return lengths(items);
  }));
  commit->submit("first", answer_to("first"));
  ioc_.run();
  ASSERT_EQ(batches_.size(), 2u);
  EXPECT_EQ(batches_[1], (std::vector<std::string>{"late1", "late2"}));
  // The first caller heard nothing while its transaction ran; the late ones after theirs.
  EXPECT_EQ(answered_when_written, (std::vector<std::size_t>{0, 1}));
  ASSERT_EQ(answers_.size(), 3u);
  EXPECT_EQ(answers_[0].first, "first");
}

TEST_F(GroupCommitTest, AFailedCommitFailsEveryCallerInTheBatchWithTheStoreError) {
  auto commit = make([](const std::vector<std::string>&) -> Results {
    return PortErrc::unavailable;
  });
  for (const char* name : {"a", "b", "c"}) {
    commit.submit(name, answer_to(name));
  }
  ioc_.run();
  EXPECT_EQ(batches_.size(), 1u);  // unavailable: no retry one by one
  ASSERT_EQ(answers_.size(), 3u);
  for (const auto& [name, result] : answers_) {
    EXPECT_EQ(result, PortResult<int>{PortErrc::unavailable}) << name;
  }
}

TEST_F(GroupCommitTest, ARefusedRowIsRetriedAloneAndDoesNotFailItsNeighbours) {
  auto commit = make([](const std::vector<std::string>& items) -> Results {
    for (const auto& i : items) {
      if (i == "bad") {
        return PortErrc::conflict;  // the whole transaction rolled back
      }
    }
    return lengths(items);
  });
  for (const char* name : {"one", "bad", "three!"}) {
    commit.submit(name, answer_to(name));
  }
  ioc_.run();
  ASSERT_EQ(batches_.size(), 4u);  // the batch, then each item alone
  ASSERT_EQ(answers_.size(), 3u);
  EXPECT_EQ(answers_[0].second, PortResult<int>{3});
  EXPECT_EQ(answers_[1].second, PortResult<int>{PortErrc::conflict});
  EXPECT_EQ(answers_[2].second, PortResult<int>{6});
}

TEST_F(GroupCommitTest, BatchesAreBounded) {
  auto commit = make(lengths, 2);
  for (const char* name : {"a", "b", "c", "d", "e"}) {
    commit.submit(name, answer_to(name));
  }
  ioc_.run();
  ASSERT_EQ(batches_.size(), 3u);
  EXPECT_EQ(batches_[0].size(), 2u);
  EXPECT_EQ(batches_[1].size(), 2u);
  EXPECT_EQ(batches_[2], (std::vector<std::string>{"e"}));
  EXPECT_EQ(answers_.size(), 5u);
}

TEST_F(GroupCommitTest, AWriterReturningTooFewResultsFailsTheRestAsCorrupt) {
  auto commit = make([](const std::vector<std::string>&) -> Results {
    return std::vector<PortResult<int>>{PortResult<int>{1}};
  });
  commit.submit("a", answer_to("a"));
  commit.submit("b", answer_to("b"));
  ioc_.run();
  ASSERT_EQ(answers_.size(), 2u);
  EXPECT_EQ(answers_[0].second, PortResult<int>{1});
  EXPECT_EQ(answers_[1].second, PortResult<int>{PortErrc::corrupt});
}

}  // namespace
}  // namespace fedgate::gateway
