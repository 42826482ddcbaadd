// TaskGroup: owns the coroutines a parent spawns (STYLE.md B5.6). Each task runs on its own
// strand with its own cancellation signal; cancel() dispatches the signal onto that strand;
// wait() lets the parent drain with a deadline. Thread-safe (the one mutex lives here).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <list>
#include <memory>
#include <mutex>
#include <string>

#include "gateway/base/clock.hpp"
#include "gateway/base/log.hpp"

namespace fedgate {

class TaskGroup {
 public:
  explicit TaskGroup(boost::asio::any_io_executor ex, Logger log = {})
      : ex_(std::move(ex)), log_(std::move(log)) {}

  // Spawns `task` on a new strand. `name` appears in the log if the task throws (a bug).
  template <class Awaitable>
  void spawn(std::string name, Awaitable task) {
    auto strand = boost::asio::make_strand(ex_);
    auto entry = std::make_shared<Entry>(strand);
    std::list<std::shared_ptr<Entry>>::iterator it;
    {
      std::lock_guard lock(mutex_);
      it = tasks_.insert(tasks_.end(), entry);
    }
    // Awaitable threads filter out all but terminal cancellation by default; a task group's
    // cancel() is a request to wind down, so enable total cancellation for the whole task.
    boost::asio::co_spawn(
        strand,
        [t = std::move(task)]() mutable -> boost::asio::awaitable<void> {
          co_await boost::asio::this_coro::reset_cancellation_state(
              boost::asio::enable_total_cancellation());
          co_await std::move(t);
        },
        boost::asio::bind_cancellation_slot(
            entry->signal.slot(), [this, it, name = std::move(name)](std::exception_ptr e) {
              if (e) {
                report(name, e);
              }
              std::lock_guard lock(mutex_);
              tasks_.erase(it);
            }));
  }

  void cancel(boost::asio::cancellation_type type = boost::asio::cancellation_type::total) {
    std::lock_guard lock(mutex_);
    for (auto& e : tasks_) {
      boost::asio::dispatch(e->strand, [e, type] { e->signal.emit(type); });
    }
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return tasks_.size();
  }

  // Waits until every task has finished or `timeout` passed; true when all finished.
  boost::asio::awaitable<bool> wait(Duration timeout) {
    boost::asio::steady_timer timer(ex_);
    auto deadline = Clock::now() + timeout;
    while (size() > 0 && Clock::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(20));
      boost::system::error_code ec;
      co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    }
    co_return size() == 0;
  }

 private:
  struct Entry {
    explicit Entry(boost::asio::strand<boost::asio::any_io_executor> s) : strand(std::move(s)) {}
    boost::asio::strand<boost::asio::any_io_executor> strand;
    boost::asio::cancellation_signal signal;
  };
  void report(const std::string& name, std::exception_ptr e) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      log_.error("bug.task_threw", {{"task", name}, {"what", ex.what()}});
    } catch (...) {
      log_.error("bug.task_threw", {{"task", name}, {"what", "unknown"}});
    }
  }

  boost::asio::any_io_executor ex_;
  Logger log_;
  mutable std::mutex mutex_;
  std::list<std::shared_ptr<Entry>> tasks_;
};

}  // namespace fedgate
