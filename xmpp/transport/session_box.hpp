// SessionBox<T>: the bounded inbox of one session — any thread pushes, the session (on its
// strand) pops, and a push wakes the session's wait through a bell timer cancelled on that
// strand. Used instead of an Asio channel, whose Boost 1.81 implementation leaves a buffered
// channel refusing try_send after a cancelled receive (each parallel-group wait cancels one).
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

namespace fedgate::xmpp {

template <class T>
class SessionBox : public std::enable_shared_from_this<SessionBox<T>> {
 public:
  // `strand`: the session's; `limit`: items waiting at most.
  SessionBox(boost::asio::any_io_executor strand, std::size_t limit)
      : strand_(std::move(strand)), bell_(strand_), limit_(limit > 0 ? limit : 1) {
    bell_.expires_at(boost::asio::steady_timer::time_point::max());
  }

  const boost::asio::any_io_executor& get_executor() const { return strand_; }

  // Any thread. False when full or closed; `item` is then left as it was.
  bool try_push(T& item) {
    {
      std::lock_guard lock(mutex_);
      if (closed_ || items_.size() >= limit_) {
        return false;
      }
      items_.push_back(std::move(item));
    }
    ring();
    return true;
  }
  // Wakes the session's wait (also used to make it look at shared state, e.g. shutdown).
  void ring() {
    if (!rung_.exchange(true)) {
      boost::asio::post(strand_, [self = this->weak_from_this()] {
        if (auto box = self.lock()) {
          box->rung_ = false;
          box->bell_.cancel();
        }
      });
    }
  }
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }

  // The session's strand only.
  std::optional<T> try_pop() {
    std::lock_guard lock(mutex_);
    if (items_.empty()) {
      return std::nullopt;
    }
    std::optional<T> item(std::move(items_.front()));
    items_.pop_front();
    return item;
  }
  bool empty() const {
    std::lock_guard lock(mutex_);
    return items_.empty();
  }
  // Waited on together with the socket and the session timer; completes when rung.
  boost::asio::steady_timer& bell() { return bell_; }

 private:
  boost::asio::any_io_executor strand_;
  boost::asio::steady_timer bell_;
  std::size_t limit_;
  mutable std::mutex mutex_;
  std::deque<T> items_;
  bool closed_ = false;
  std::atomic<bool> rung_{false};
};

}  // namespace fedgate::xmpp
