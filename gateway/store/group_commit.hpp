// GroupCommit: concurrent writes collected into one transaction (group commit). Owned by a
// store adapter (PgOutbox); the batches run on the DB pool's executor. Every caller's `done`
// runs exactly once, on a pool thread, only after the batch's write returned (committed or
// failed): nothing is acknowledged before its commit (DESIGN.md: no IM lost silently).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "presence/port_errc.hpp"

namespace fedgate::gateway {

template <class Item, class Value>
class GroupCommit {
 public:
  using Done = std::function<void(presence::PortResult<Value>)>;
  // Writes a batch in ONE transaction: one result per item in order, or one error for all.
  // Runs on the executor; must capture nothing that dies before the executor's last task.
  using WriteFn = std::function<presence::PortResult<std::vector<presence::PortResult<Value>>>(
      const std::vector<Item>&)>;

  // No added wait: a batch is what arrived while the previous transaction ran, at most
  // `max_batch` items. One batch at a time per GroupCommit (one pool thread).
  GroupCommit(boost::asio::any_io_executor executor, WriteFn write, std::size_t max_batch)
      : state_(std::make_shared<State>(std::move(executor), std::move(write),
                                       std::max<std::size_t>(max_batch, 1))) {}

  // Any thread. `done` is called on the executor after the commit, or with the error.
  void submit(Item item, Done done) {
    bool start = false;
    {
      std::lock_guard lock{state_->mutex};
      state_->queue.items.push_back(std::move(item));
      state_->queue.dones.push_back(std::move(done));
      start = !std::exchange(state_->running, true);
    }
    if (start) {
      schedule(state_);
    }
  }

  // Observability for tests and metrics: items waiting for a transaction.
  std::size_t waiting() const {
    std::lock_guard lock{state_->mutex};
    return state_->queue.items.size();
  }

 private:
  struct Batch {
    std::vector<Item> items;
    std::vector<Done> dones;  // one per item
  };
  struct State {
    State(boost::asio::any_io_executor e, WriteFn w, std::size_t max)
        : executor(std::move(e)), write(std::move(w)), max_batch(max) {}
    boost::asio::any_io_executor executor;
    WriteFn write;
    std::size_t max_batch;
    mutable std::mutex mutex;
    Batch queue;           // guarded by mutex
    bool running = false;  // a batch is scheduled or being written
  };

  // One batch per task, then a new task for the rest: other pool work is not starved.
  static void schedule(std::shared_ptr<State> state) {
    auto ex = state->executor;
    boost::asio::post(ex, [state = std::move(state)]() mutable { run_batch(std::move(state)); });
  }

  static void run_batch(std::shared_ptr<State> state) {
    Batch batch;
    {
      std::lock_guard lock{state->mutex};
      if (state->queue.items.size() <= state->max_batch) {
        std::swap(batch, state->queue);
      } else {
        batch.items = take_front(state->queue.items, state->max_batch);
        batch.dones = take_front(state->queue.dones, state->max_batch);
      }
    }
    write_batch(*state, batch);
    bool more = false;
    {
      std::lock_guard lock{state->mutex};
      more = !state->queue.items.empty();
      state->running = more;
    }
    if (more) {
      schedule(std::move(state));
    }
  }

  template <class T>
  static std::vector<T> take_front(std::vector<T>& from, std::size_t n) {
    auto end = from.begin() + static_cast<std::ptrdiff_t>(n);
    std::vector<T> out(std::make_move_iterator(from.begin()), std::make_move_iterator(end));
    from.erase(from.begin(), end);
    return out;
  }

  // A row-level refusal (conflict, corrupt row) must not fail its neighbours: the batch is
  // then written again one item per transaction. `unavailable` fails every caller at once.
  static void write_batch(State& state, Batch& batch) {
    auto results = state.write(batch.items);
    const auto n = batch.items.size();
    if (!results && results.error() != presence::PortErrc::unavailable && n > 1) {
      for (std::size_t i = 0; i < n; ++i) {
        Batch one;
        one.items.push_back(std::move(batch.items[i]));
        one.dones.push_back(std::move(batch.dones[i]));
        write_batch(state, one);
      }
      return;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!results) {
        batch.dones[i](results.error());
      } else if (i < results.value().size()) {
        batch.dones[i](std::move(results.value()[i]));
      } else {
        batch.dones[i](presence::PortErrc::corrupt);  // the writer broke its contract
      }
    }
  }

  std::shared_ptr<State> state_;
};

}  // namespace fedgate::gateway
